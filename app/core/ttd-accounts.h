/* ttd-accounts.h — the TikTok accounts signed in on this computer
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ttd-account.h"

G_BEGIN_DECLS

/**
 * TtdAccountInfo:
 * @open_id: TikTok's identifier of the account for this app
 * @display_name: (nullable): the name TikTok showed last
 * @is_default: the account used when none is named
 *
 * One signed-in account, as listed; no token.
 */
typedef struct
{
  char     *open_id;
  char     *display_name;
  gboolean  is_default;
} TtdAccountInfo;

void ttd_account_info_free (TtdAccountInfo *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdAccountInfo, ttd_account_info_free)

#define TTD_TYPE_ACCOUNTS (ttd_accounts_get_type ())

G_DECLARE_FINAL_TYPE (TtdAccounts, ttd_accounts, TTD, ACCOUNTS, GObject)

TtdAccounts   *ttd_accounts_new          (const TtdConfig  *config,
                                          TtdTokenStore    *store);
TtdTokenStore *ttd_accounts_get_store    (TtdAccounts      *self);
const TtdConfig *ttd_accounts_get_config (TtdAccounts      *self);
TtdAccount    *ttd_accounts_get          (TtdAccounts      *self,
                                          const char       *open_id);

/* Blocking: they read the keyring. For worker threads and the CLI. */
GPtrArray     *ttd_accounts_list         (TtdAccounts      *self,
                                          GCancellable     *cancellable,
                                          GError          **error);
TtdAccount    *ttd_accounts_lookup       (TtdAccounts      *self,
                                          const char       *name,
                                          GCancellable     *cancellable,
                                          GError          **error);
gboolean       ttd_accounts_set_default  (TtdAccounts      *self,
                                          const char       *name,
                                          GCancellable     *cancellable,
                                          GError          **error);

/* The same in a GTask thread, for the app. */
void           ttd_accounts_list_async   (TtdAccounts         *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GPtrArray     *ttd_accounts_list_finish  (TtdAccounts         *self,
                                          GAsyncResult        *result,
                                          GError             **error);
void           ttd_accounts_set_default_async  (TtdAccounts         *self,
                                                const char          *name,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       ttd_accounts_set_default_finish (TtdAccounts         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
