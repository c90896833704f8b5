/* Unit tests for src/input/mailproto.c, as a table: the client's and the
 * server's first bytes, and the label (and SNI) the rules of mailproto.h
 * give them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "input/mailproto.h"

/* A ClientHello naming `mail.example` (record, handshake, version, random,
 * no session id, one suite, one compression method, one extension). */
static const unsigned char hello[] = {
    0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00, 0x3c, 0x03, 0x03,
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
    26, 27, 28, 29, 30, 31, 32,
    0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00, 0x00, 0x11,
    0x00, 0x00, 0x00, 0x0d, 0x00, 0x0b, 0x00, 0x00, 0x0c,
    'm', 'a', 'i', 'l', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e',
};

static void test_labels(void **state)
{
    (void)state;
    static const struct { const char *client, *server, *want; } cases[] = {
        {"EHLO me\r\nMAIL FROM:<a@b>\r\n", "220 mx ESMTP\r\n", "smtp"},
        {"ehlo me\r\nSTARTTLS\r\n\x16\x03\x01", "220 mx\r\n250 ok\r\n220 go\r\n", "smtp-starttls"},
        {"USER bob\r\nPASS x\r\n", "+OK POP3 ready\r\n", "pop3"},
        {"CAPA\r\nSTLS\r\n", "+OK\r\n", "pop3-stls"},
        {"a1 CAPABILITY\r\na2 LOGIN bob x\r\n", "* OK IMAP4rev1 ready\r\n", "imap"},
        {"a1 STARTTLS\r\n", "* OK ready\r\n", "imap-starttls"},
        {"a1 LOGIN bob x\r\n", "* PREAUTH logged in\r\n", "imap"},
        {"GET / HTTP/1.1\r\n", "220 mx ESMTP\r\n", "not-mail"},            /* greeted, not SMTP */
        {"\x01\x02\x03\x04\x05\x06", "", "not-mail"},                        /* binary beacon */
        {"", "", "no-data"},
        {"EH", "", "unknown"},                                               /* too little */
        {"MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n", "", "smtp"},                /* began late */
        {"EHLO me\r\nAUTH LOGIN\r\ndXNlcg==\r\n", "220 mx\r\n", "smtp"},     /* credentials follow */
        {"", "220 mx ESMTP\r\n", "smtp"},                                    /* the server spoke */
    };
    char sni[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = mailproto_classify((const unsigned char *)cases[i].client,
                                             strlen(cases[i].client),
                                             (const unsigned char *)cases[i].server,
                                             strlen(cases[i].server), sni, sizeof sni);
        if (strcmp(got, cases[i].want))
            fail_msg("case %zu: '%s', want '%s'", i, got, cases[i].want);
    }
}

static void test_tls(void **state)
{
    (void)state;
    char sni[64];
    assert_string_equal(mailproto_classify(hello, sizeof hello, NULL, 0, sni, sizeof sni), "tls");
    assert_string_equal(sni, "mail.example");
    /* Cut inside the extension: still TLS, no name invented. */
    assert_string_equal(mailproto_classify(hello, 60, NULL, 0, sni, sizeof sni), "tls");
    assert_string_equal(sni, "");
    assert_string_equal(mailproto_protocol("smtp-starttls"), "smtp");
    assert_string_equal(mailproto_protocol("tls"), "tls");
    assert_null(mailproto_protocol("not-mail"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_labels), cmocka_unit_test(test_tls)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
