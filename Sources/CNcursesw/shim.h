#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
/* SwiftPM drops pkg-config's -D_XOPEN_SOURCE=600, so the wide API must be switched on here. */
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <ncursesw/curses.h>

/* Macros Swift cannot import, re-exported as static inline functions. */
static inline attr_t  cnc_a_normal(void)    { return A_NORMAL; }
static inline attr_t  cnc_a_bold(void)      { return A_BOLD; }
static inline attr_t  cnc_a_dim(void)       { return A_DIM; }
static inline attr_t  cnc_a_reverse(void)   { return A_REVERSE; }
static inline attr_t  cnc_a_underline(void) { return A_UNDERLINE; }
static inline mmask_t cnc_all_mouse(void)   { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
/* What the workbench uses: left button and wheel, without motion reports. */
static inline mmask_t cnc_click_and_wheel(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED; }
static inline mmask_t cnc_button1_pressed(void)  { return BUTTON1_PRESSED; }
static inline mmask_t cnc_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t cnc_button1_clicked(void)  { return BUTTON1_CLICKED; }
static inline mmask_t cnc_wheel_up(void)    { return BUTTON4_PRESSED; }
static inline mmask_t cnc_wheel_down(void)  { return BUTTON5_PRESSED; }
static inline int     cnc_key_f(int n)      { return KEY_F(n); }
static inline void    cnc_getmaxyx(WINDOW *w, int *y, int *x) { getmaxyx(w, *y, *x); }
/* Accessors for the curses globals, which Swift 6 rejects as shared mutable state. */
static inline WINDOW *cnc_stdscr(void)      { return stdscr; }
static inline WINDOW *cnc_curscr(void)      { return curscr; }
static inline int     cnc_colors(void)      { return COLORS; }
static inline int     cnc_color_pairs(void) { return COLOR_PAIRS; }
#endif
