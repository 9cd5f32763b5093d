/* ttd-test-emulator.h — a fixture for C tests: the TikTok emulator running
 * in-process, and an account signed in to it
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Use with g_test_add():
 *
 *   g_test_add ("/ttd/sender/once", EmulatorFixture, NULL,
 *               emulator_fixture_setup, test_once, emulator_fixture_teardown);
 */

#pragma once

#include "ttd-core.h"
#include "ttd-emulator.h"

G_BEGIN_DECLS

typedef struct
{
  TtdEmulator *emulator;
  TtdAccount  *account;
  char        *dir;          /* a private temporary directory */
} EmulatorFixture;

void        emulator_fixture_setup       (EmulatorFixture  *fixture,
                                          gconstpointer     data);
void        emulator_fixture_teardown    (EmulatorFixture  *fixture,
                                          gconstpointer     data);
TtdAccount *emulator_fixture_new_account  (EmulatorFixture  *fixture);
GFile      *emulator_fixture_write_video (EmulatorFixture  *fixture,
                                          const char       *name,
                                          gsize             size,
                                          char            **sha256);
JsonObject *emulator_fixture_dup_state   (EmulatorFixture  *fixture);
JsonObject *emulator_fixture_dup_draft   (EmulatorFixture  *fixture,
                                          guint             index);
gint64      emulator_fixture_count       (EmulatorFixture  *fixture,
                                          const char       *name);

G_END_DECLS
