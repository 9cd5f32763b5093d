/* ttd-account.h
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ttd-api-client.h"
#include "ttd-token-store.h"

G_BEGIN_DECLS

#define TTD_TYPE_ACCOUNT (ttd_account_get_type ())

G_DECLARE_FINAL_TYPE (TtdAccount, ttd_account, TTD, ACCOUNT, GObject)

typedef gpointer (*TtdAccountCall) (TtdApiClient  *client,
                                    const char    *access_token,
                                    gpointer       data,
                                    GCancellable  *cancellable,
                                    GError       **error);

TtdAccount    *ttd_account_new                  (const TtdConfig      *config,
                                                 TtdTokenStore        *store);
TtdAccount    *ttd_account_new_for_open_id      (const TtdConfig      *config,
                                                 TtdTokenStore        *store,
                                                 const char           *open_id);
char          *ttd_account_dup_open_id          (TtdAccount           *self);
char          *ttd_account_dup_display_name     (TtdAccount           *self);
TtdApiClient  *ttd_account_get_client           (TtdAccount           *self);
TtdTokenStore *ttd_account_get_store            (TtdAccount           *self);
const TtdConfig *ttd_account_get_config         (TtdAccount           *self);
gboolean       ttd_account_is_signed_in         (TtdAccount           *self);
TtdTokens     *ttd_account_dup_tokens           (TtdAccount           *self);

/* Blocking; for worker threads and the CLI. */
gboolean       ttd_account_load                 (TtdAccount           *self,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
gboolean       ttd_account_complete_sign_in     (TtdAccount           *self,
                                                 const char           *code,
                                                 const char           *redirect_uri,
                                                 const char           *code_verifier,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
char          *ttd_account_dup_access_token     (TtdAccount           *self,
                                                 const char           *rejected_token,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
gboolean       ttd_account_refresh              (TtdAccount           *self,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
gboolean       ttd_account_sign_out             (TtdAccount           *self,
                                                 char                **revoke_problem,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
#define TTD_INITS_PER_MINUTE 6

gboolean       ttd_account_pace_init            (TtdAccount           *self,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
gpointer       ttd_account_call                 (TtdAccount           *self,
                                                 TtdAccountCall        call,
                                                 gpointer              data,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
TtdUserInfo   *ttd_account_fetch_user_info      (TtdAccount           *self,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
TtdPublishStatus *ttd_account_fetch_status      (TtdAccount           *self,
                                                 const char           *publish_id,
                                                 GCancellable         *cancellable,
                                                 GError              **error);

/* The same, run in a GTask thread; callbacks come back in the caller's
 * thread-default main context. */
void           ttd_account_load_async           (TtdAccount           *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean       ttd_account_load_finish          (TtdAccount           *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void           ttd_account_complete_sign_in_async  (TtdAccount        *self,
                                                    const char        *code,
                                                    const char        *redirect_uri,
                                                    const char        *code_verifier,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
gboolean       ttd_account_complete_sign_in_finish (TtdAccount        *self,
                                                    GAsyncResult      *result,
                                                    GError           **error);
void           ttd_account_sign_out_async       (TtdAccount           *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean       ttd_account_sign_out_finish      (TtdAccount           *self,
                                                 GAsyncResult         *result,
                                                 char                **revoke_problem,
                                                 GError              **error);
void           ttd_account_fetch_user_info_async  (TtdAccount         *self,
                                                   GCancellable       *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer            user_data);
TtdUserInfo   *ttd_account_fetch_user_info_finish (TtdAccount         *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);

G_END_DECLS
