/* ttd-ui-test.h — what the ui suite's programs share
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ttd-core.h"

G_BEGIN_DECLS

void   ttd_test_init_ui     (int          *argc,
                             char       ***argv);
void   ttd_test_wait_until  (gboolean   (*predicate) (gpointer),
                             gpointer      data,
                             guint         timeout_ms);
void   ttd_test_spin        (guint         ms);
void   ttd_test_save_screenshot (GtkWidget  *widget,
                                 const char *name);
GFile *ttd_test_write_png   (const char   *dir,
                             const char   *name,
                             guint32       rgba,
                             int           width,
                             int           height);
GFile *ttd_test_write_video (const char   *dir,
                             const char   *name,
                             gsize         size);

typedef struct
{
  GSubprocess *process;
  char        *url;
} TtdTestEmulator;

gboolean    ttd_test_emulator_start (TtdTestEmulator *emulator);
void        ttd_test_emulator_stop  (TtdTestEmulator *emulator);
TtdAccount *ttd_test_sign_in_to     (TtdTestEmulator *emulator);

G_END_DECLS
