# The live sensor's kernel program: src/sensor/connect.bpf.c compiled with
# `clang -target bpf` and embedded as a `bpftool gen skeleton` header, linked
# with libbpf. Where clang, bpftool or libbpf is missing the library still
# builds: MAILC2_EBPF_MISSING names what was missing, `mailc2 watch` says it
# and polls sock_diag instead. MAILC2_EBPF=OFF builds without it on purpose.
# Included by the top-level CMakeLists.txt after mailc2_objects exists.
option(MAILC2_EBPF "Build the eBPF sensor (needs clang, bpftool, libbpf)" ON)
find_program(MAILC2_BPF_CLANG NAMES clang)
find_program(MAILC2_BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin)
pkg_check_modules(LIBBPF IMPORTED_TARGET libbpf)

set(missing "")
if(NOT MAILC2_EBPF)
  set(missing "built with -DMAILC2_EBPF=OFF")
elseif(NOT MAILC2_BPF_CLANG)
  set(missing "clang was not found at build time (Debian: apt-get install clang)")
elseif(NOT MAILC2_BPFTOOL)
  set(missing "bpftool was not found at build time (Debian: apt-get install bpftool)")
elseif(NOT LIBBPF_FOUND)
  set(missing "libbpf was not found at build time (Debian: apt-get install libbpf-dev)")
endif()

if(missing)
  message(STATUS "mailc2: eBPF sensor off: ${missing}")
  target_compile_definitions(mailc2_objects PRIVATE "MAILC2_EBPF_MISSING=\"${missing}\"")
  return()
endif()

# bpf_tracing.h wants the target architecture; the UAPI headers live under
# the multiarch directory, which `-target bpf` does not search by itself.
string(REGEX REPLACE "^(x86_64|i.86)$" "x86" bpf_arch "${CMAKE_SYSTEM_PROCESSOR}")
string(REGEX REPLACE "^(aarch64|arm64)$" "arm64" bpf_arch "${bpf_arch}")
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-multiarch OUTPUT_VARIABLE multiarch
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
set(bpf_dir ${CMAKE_CURRENT_BINARY_DIR}/sensor)
set(bpf_src ${CMAKE_CURRENT_SOURCE_DIR}/src/sensor/connect.bpf.c)
add_custom_command(
  OUTPUT ${bpf_dir}/connect.skel.h
  COMMAND ${CMAKE_COMMAND} -E make_directory ${bpf_dir}
  COMMAND ${MAILC2_BPF_CLANG} -target bpf -g -O2 -Wall -Werror -D__TARGET_ARCH_${bpf_arch}
          -I/usr/include/${multiarch} -I${CMAKE_CURRENT_SOURCE_DIR}/src/sensor
          -c ${bpf_src} -o ${bpf_dir}/connect.bpf.o
  COMMAND ${MAILC2_BPFTOOL} gen skeleton ${bpf_dir}/connect.bpf.o name connect_bpf
          > ${bpf_dir}/connect.skel.h
  DEPENDS ${bpf_src} ${CMAKE_CURRENT_SOURCE_DIR}/src/sensor/connect.h
  COMMENT "eBPF: connect.bpf.c -> connect.skel.h"
  VERBATIM)
add_custom_target(mailc2_bpf_skel DEPENDS ${bpf_dir}/connect.skel.h)
add_dependencies(mailc2_objects mailc2_bpf_skel)
target_include_directories(mailc2_objects PRIVATE ${bpf_dir})
target_compile_definitions(mailc2_objects PRIVATE MAILC2_EBPF=1)
target_link_libraries(mailc2_objects PUBLIC PkgConfig::LIBBPF)
set(MAILC2_LIBBPF PkgConfig::LIBBPF)
