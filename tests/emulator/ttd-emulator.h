/* ttd-emulator.h — the TikTok API emulator as a library, for C tests
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emulator serves on 127.0.0.1 from a thread of its own with its own
 * GMainContext, so a test may drive it with blocking clients from any
 * thread.  Every function here may be called from any thread.
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _TtdEmulator TtdEmulator;

/**
 * TtdEmulatorConfig:
 * @client_key: the registered app (%NULL: "demo-client-key")
 * @client_secret: its secret (%NULL: "demo-client-secret")
 * @redirect_uris: registered redirect URI patterns, "*" as the port
 *   (%NULL: http://127.0.0.1:*\/callback/ and http://localhost:*\/callback/)
 * @access_ttl: @refresh_ttl: @upload_url_ttl: lifetimes in seconds
 * @processing_ms: how long a finished upload or pull stays PROCESSING_*
 * @verified_prefixes: URL prefixes photos may be pulled from
 * @display_name: the emulated user's name (%NULL: "Demo Creator")
 * @choose_account: the authorize page asks which user to sign in as (for
 *   demo mode, where a person adds a second account); otherwise it grants
 *   the current user at once, as TikTok does for a browser signed in
 *
 * Fill it with ttd_emulator_config_init() and change what the test needs.
 */
typedef struct
{
  const char         *client_key;
  const char         *client_secret;
  const char * const *redirect_uris;
  gint64              access_ttl;
  gint64              refresh_ttl;
  gint64              upload_url_ttl;
  int                 processing_ms;
  const char * const *verified_prefixes;
  const char         *display_name;
  gboolean            choose_account;
} TtdEmulatorConfig;

void         ttd_emulator_config_init    (TtdEmulatorConfig        *config);

TtdEmulator *ttd_emulator_new            (const TtdEmulatorConfig  *config,
                                          GError                  **error);
gboolean     ttd_emulator_start          (TtdEmulator              *self,
                                          guint                     port,
                                          GError                  **error);
const char  *ttd_emulator_get_base_url   (TtdEmulator              *self);
gboolean     ttd_emulator_arm_fault      (TtdEmulator              *self,
                                          const char               *name,
                                          GError                  **error);
guint        ttd_emulator_act_on_drafts  (TtdEmulator              *self);
void         ttd_emulator_reset          (TtdEmulator              *self);
void         ttd_emulator_issue_tokens   (TtdEmulator              *self,
                                          const char               *scope,
                                          char                    **open_id,
                                          char                    **access_token,
                                          char                    **refresh_token);
JsonNode    *ttd_emulator_dup_state      (TtdEmulator              *self);
void         ttd_emulator_free           (TtdEmulator              *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdEmulator, ttd_emulator_free)

G_END_DECLS
