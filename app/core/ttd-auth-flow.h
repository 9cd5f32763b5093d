/* ttd-auth-flow.h
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ttd-config.h"
#include "ttd-pkce.h"

G_BEGIN_DECLS

#define TTD_AUTH_TIMEOUT_SECONDS (10 * 60)

/* A sign-in kept for “token --code” can be finished for this long. */
#define TTD_AUTH_PENDING_MAX_AGE_SECONDS (15 * 60)

#define TTD_TYPE_AUTH_FLOW (ttd_auth_flow_get_type ())

G_DECLARE_FINAL_TYPE (TtdAuthFlow, ttd_auth_flow, TTD, AUTH_FLOW, GObject)

TtdAuthFlow     *ttd_auth_flow_new_loopback        (const TtdConfig      *config,
                                                    GError              **error);
TtdAuthFlow     *ttd_auth_flow_new_manual          (const TtdConfig      *config,
                                                    const char           *redirect_uri,
                                                    GError              **error);
TtdAuthFlow     *ttd_auth_flow_new_from_pending    (const char           *pending_json,
                                                    GError              **error);
const char      *ttd_auth_flow_get_authorize_uri   (TtdAuthFlow          *self);
const char      *ttd_auth_flow_get_redirect_uri    (TtdAuthFlow          *self);
const char      *ttd_auth_flow_get_code_verifier   (TtdAuthFlow          *self);
guint            ttd_auth_flow_get_port            (TtdAuthFlow          *self);
char            *ttd_auth_flow_dup_pending_json    (TtdAuthFlow          *self);
void             ttd_auth_flow_set_timeout         (TtdAuthFlow          *self,
                                                    guint                 seconds);
void             ttd_auth_flow_wait_async          (TtdAuthFlow          *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char            *ttd_auth_flow_wait_finish         (TtdAuthFlow          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void             ttd_auth_flow_stop                (TtdAuthFlow          *self);
gboolean         ttd_auth_parse_callback           (const char           *query,
                                                    const char           *expected_state,
                                                    char                **code,
                                                    GError              **error);

G_END_DECLS
