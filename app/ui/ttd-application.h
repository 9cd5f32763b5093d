/* ttd-application.h — the application: settings, keyring and the TikTok account
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ttd-core.h"
#include "ttd-draft-session.h"

G_BEGIN_DECLS

#define TTD_TYPE_APPLICATION (ttd_application_get_type ())

G_DECLARE_FINAL_TYPE (TtdApplication, ttd_application, TTD, APPLICATION, AdwApplication)

TtdApplication  *ttd_application_new             (void);
TtdAccount      *ttd_application_get_account     (TtdApplication *self);
TtdAccounts     *ttd_application_get_accounts    (TtdApplication *self);
void             ttd_application_use_account     (TtdApplication *self,
                                                  TtdAccount     *account);
TtdDraftSession *ttd_application_get_session     (TtdApplication *self);
GSettings       *ttd_application_get_settings    (TtdApplication *self);
void             ttd_application_reload_config   (TtdApplication *self);
TtdConfig       *ttd_application_config_from_settings (GSettings *settings);
void             ttd_application_config_finish   (TtdConfig      *config,
                                                  GCancellable   *cancellable);
gboolean         ttd_application_is_demo         (void);
char            *ttd_application_dup_debug_info  (void);

G_END_DECLS
