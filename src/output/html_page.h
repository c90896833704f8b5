/* html_page: the fixed parts of the HTML report (src/output/html.c) — its
 * style sheet and its script — kept apart from the code that writes the
 * findings, so each reads on its own. Both are inlined into the page: the
 * report is one file that fetches nothing (its Content-Security-Policy
 * forbids any fetch). */
#ifndef MAILC2_HTML_PAGE_H
#define MAILC2_HTML_PAGE_H

extern const char html_page_style[];
/* Sorts the findings table when a header is clicked (numbers as numbers;
 * again for descending), filters it by the text box, and reads the same
 * from the address: #sort=count, #sort=-score, #filter=powershell (how the
 * tests drive it headless). The table's data-sorted says what it did. */
extern const char html_page_script[];

#endif
