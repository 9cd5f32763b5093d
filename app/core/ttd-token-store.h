/* ttd-token-store.h
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ttd-file-lock.h"
#include "ttd-tokens.h"

G_BEGIN_DECLS

#define TTD_TYPE_TOKEN_STORE (ttd_token_store_get_type ())

G_DECLARE_INTERFACE (TtdTokenStore, ttd_token_store, TTD, TOKEN_STORE, GObject)

/**
 * TtdTokenStoreInterface:
 * @load: the tokens of the account @open_id, or with %NULL those of the
 *   newest sign-in; %NULL without an error when there are none
 * @list: every signed-in account's tokens, newest sign-in first
 * @save: stores one account's tokens, replacing only that account's
 * @clear: forgets the tokens of @open_id (or all with %NULL)
 * @load_default: the open_id of the account used when none is named
 * @save_default: sets it (%NULL forgets it)
 * @load_pending: the JSON kept between `auth` and `token --code`
 * @save_pending: keeps it (%NULL forgets it)
 * @lock: (nullable): for a store that other processes share, takes the
 *   lock they all hold while they read, rotate and write the tokens;
 *   %NULL when the store is private to this process
 *
 * The vfuncs block; they are called from worker threads (or the CLI), and
 * the _async wrappers run them in a GTask thread. Implementations must be
 * thread-safe.
 */
struct _TtdTokenStoreInterface
{
  GTypeInterface parent_iface;

  TtdTokens *(*load)         (TtdTokenStore    *self,
                              const char       *open_id,
                              GCancellable     *cancellable,
                              GError          **error);
  GPtrArray *(*list)         (TtdTokenStore    *self,
                              GCancellable     *cancellable,
                              GError          **error);
  char      *(*load_default) (TtdTokenStore    *self,
                              GCancellable     *cancellable,
                              GError          **error);
  gboolean   (*save_default) (TtdTokenStore    *self,
                              const char       *open_id,
                              GCancellable     *cancellable,
                              GError          **error);
  gboolean   (*save)         (TtdTokenStore    *self,
                              const TtdTokens  *tokens,
                              GCancellable     *cancellable,
                              GError          **error);
  gboolean   (*clear)        (TtdTokenStore    *self,
                              const char       *open_id,
                              GCancellable     *cancellable,
                              GError          **error);
  char      *(*load_pending) (TtdTokenStore    *self,
                              GCancellable     *cancellable,
                              GError          **error);
  gboolean   (*save_pending) (TtdTokenStore    *self,
                              const char       *json,
                              GCancellable     *cancellable,
                              GError          **error);
  TtdFileLock *(*lock)       (TtdTokenStore    *self,
                              GCancellable     *cancellable,
                              GError          **error);
};

TtdTokens *ttd_token_store_load          (TtdTokenStore        *self,
                                          const char           *open_id,
                                          GCancellable         *cancellable,
                                          GError              **error);
GPtrArray *ttd_token_store_list          (TtdTokenStore        *self,
                                          GCancellable         *cancellable,
                                          GError              **error);
char      *ttd_token_store_dup_default   (TtdTokenStore        *self,
                                          GCancellable         *cancellable,
                                          GError              **error);
gboolean   ttd_token_store_set_default   (TtdTokenStore        *self,
                                          const char           *open_id,
                                          GCancellable         *cancellable,
                                          GError              **error);
gboolean   ttd_token_store_save          (TtdTokenStore        *self,
                                          const TtdTokens      *tokens,
                                          GCancellable         *cancellable,
                                          GError              **error);
gboolean   ttd_token_store_clear         (TtdTokenStore        *self,
                                          const char           *open_id,
                                          GCancellable         *cancellable,
                                          GError              **error);
char      *ttd_token_store_load_pending  (TtdTokenStore        *self,
                                          GCancellable         *cancellable,
                                          GError              **error);
gboolean   ttd_token_store_save_pending  (TtdTokenStore        *self,
                                          const char           *json,
                                          GCancellable         *cancellable,
                                          GError              **error);
gboolean   ttd_token_store_lock          (TtdTokenStore        *self,
                                          TtdFileLock         **lock,
                                          GCancellable         *cancellable,
                                          GError              **error);

#define TTD_TYPE_MEMORY_TOKEN_STORE (ttd_memory_token_store_get_type ())
G_DECLARE_FINAL_TYPE (TtdMemoryTokenStore, ttd_memory_token_store, TTD, MEMORY_TOKEN_STORE, GObject)
TtdTokenStore *ttd_memory_token_store_new (void);

#define TTD_TYPE_SECRET_TOKEN_STORE (ttd_secret_token_store_get_type ())
G_DECLARE_FINAL_TYPE (TtdSecretTokenStore, ttd_secret_token_store, TTD, SECRET_TOKEN_STORE, GObject)
TtdTokenStore *ttd_secret_token_store_new (void);

char     *ttd_secret_lookup_client_secret (const char    *client_key,
                                           GCancellable  *cancellable,
                                           GError       **error);
gboolean  ttd_secret_store_client_secret  (const char    *client_key,
                                           const char    *client_secret,
                                           GCancellable  *cancellable,
                                           GError       **error);
char     *ttd_secret_lookup_password      (const char    *kind,
                                           const char    *key,
                                           GCancellable  *cancellable,
                                           GError       **error);
gboolean  ttd_secret_store_password       (const char    *kind,
                                           const char    *key,
                                           const char    *label,
                                           const char    *password,
                                           GCancellable  *cancellable,
                                           GError       **error);

G_END_DECLS
