/* ttd-token-store.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ttd-token-store.h"

G_DEFINE_INTERFACE (TtdTokenStore, ttd_token_store, G_TYPE_OBJECT)

static void
ttd_token_store_default_init (TtdTokenStoreInterface *iface)
{
}

/**
 * ttd_token_store_load:
 * @open_id: (nullable): the account; %NULL for the default one (the
 *   newest sign-in when no default is set, or it is gone)
 *
 * Returns: (transfer full) (nullable): the tokens, or %NULL without an
 *   error when that account is not signed in
 */
TtdTokens *
ttd_token_store_load (TtdTokenStore  *self,
                      const char     *open_id,
                      GCancellable   *cancellable,
                      GError        **error)
{
  TtdTokenStoreInterface *iface;
  GError *local_error = NULL;
  g_autofree char *default_id = NULL;
  TtdTokens *tokens;

  g_return_val_if_fail (TTD_IS_TOKEN_STORE (self), NULL);

  iface = TTD_TOKEN_STORE_GET_IFACE (self);
  if (open_id != NULL)
    return iface->load (self, open_id, cancellable, error);

  /* The newest sign-in first: reading it unlocks the keyring (one prompt,
   * and a refused prompt ends here), then which one is the default. */
  tokens = iface->load (self, NULL, cancellable, error);
  if (tokens == NULL)
    return NULL;

  default_id = ttd_token_store_dup_default (self, cancellable, &local_error);
  if (local_error != NULL)
    {
      ttd_tokens_free (tokens);
      g_propagate_error (error, local_error);
      return NULL;
    }

  if (default_id != NULL && g_strcmp0 (default_id, tokens->open_id) != 0)
    {
      TtdTokens *chosen = iface->load (self, default_id, cancellable, &local_error);

      if (local_error != NULL)
        {
          ttd_tokens_free (tokens);
          g_propagate_error (error, local_error);
          return NULL;
        }
      /* A default that was signed out falls back to the newest sign-in. */
      if (chosen != NULL)
        {
          ttd_tokens_free (tokens);
          tokens = chosen;
        }
    }

  return tokens;
}

/**
 * ttd_token_store_list:
 *
 * Returns: (transfer full) (element-type TtdTokens): every signed-in
 *   account, newest sign-in first, or %NULL with @error set
 */
GPtrArray *
ttd_token_store_list (TtdTokenStore  *self,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_return_val_if_fail (TTD_IS_TOKEN_STORE (self), NULL);

  return TTD_TOKEN_STORE_GET_IFACE (self)->list (self, cancellable, error);
}

/**
 * ttd_token_store_dup_default:
 *
 * Returns: (transfer full) (nullable): the open_id set as the default
 *   account; it may name an account that has been signed out since
 */
char *
ttd_token_store_dup_default (TtdTokenStore  *self,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_return_val_if_fail (TTD_IS_TOKEN_STORE (self), NULL);

  return TTD_TOKEN_STORE_GET_IFACE (self)->load_default (self, cancellable, error);
}

gboolean
ttd_token_store_set_default (TtdTokenStore  *self,
                             const char     *open_id,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_return_val_if_fail (TTD_IS_TOKEN_STORE (self), FALSE);

  return TTD_TOKEN_STORE_GET_IFACE (self)->save_default (self, open_id, cancellable, error);
}

gboolean
ttd_token_store_save (TtdTokenStore    *self,
                      const TtdTokens  *tokens,
                      GCancellable     *cancellable,
                      GError          **error)
{
  g_return_val_if_fail (TTD_IS_TOKEN_STORE (self), FALSE);
  g_return_val_if_fail (tokens != NULL, FALSE);

  return TTD_TOKEN_STORE_GET_IFACE (self)->save (self, tokens, cancellable, error);
}

gboolean
ttd_token_store_clear (TtdTokenStore  *self,
                       const char     *open_id,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_return_val_if_fail (TTD_IS_TOKEN_STORE (self), FALSE);

  return TTD_TOKEN_STORE_GET_IFACE (self)->clear (self, open_id, cancellable, error);
}

char *
ttd_token_store_load_pending (TtdTokenStore  *self,
                              GCancellable   *cancellable,
                              GError        **error)
{
  g_return_val_if_fail (TTD_IS_TOKEN_STORE (self), NULL);

  return TTD_TOKEN_STORE_GET_IFACE (self)->load_pending (self, cancellable, error);
}

gboolean
ttd_token_store_save_pending (TtdTokenStore  *self,
                              const char     *json,
                              GCancellable   *cancellable,
                              GError        **error)
{
  g_return_val_if_fail (TTD_IS_TOKEN_STORE (self), FALSE);

  return TTD_TOKEN_STORE_GET_IFACE (self)->save_pending (self, json, cancellable, error);
}

/**
 * ttd_token_store_lock:
 * @lock: (out) (transfer full) (nullable): the lock to release with
 *   ttd_file_lock_release(), or %NULL when no other process shares the store
 *
 * Waits until no other process is changing the stored tokens and keeps
 * them from starting until @lock is released: take it around reading the
 * tokens, rotating them at TikTok and saving the new pair, so that two
 * processes never both spend the same refresh token. Blocks.
 *
 * Returns: %TRUE with @lock set; %FALSE with @error set.
 */
gboolean
ttd_token_store_lock (TtdTokenStore  *self,
                      TtdFileLock   **lock,
                      GCancellable   *cancellable,
                      GError        **error)
{
  TtdTokenStoreInterface *iface;

  g_return_val_if_fail (TTD_IS_TOKEN_STORE (self), FALSE);
  g_return_val_if_fail (lock != NULL && *lock == NULL, FALSE);

  iface = TTD_TOKEN_STORE_GET_IFACE (self);
  if (iface->lock == NULL)
    return TRUE;

  *lock = iface->lock (self, cancellable, error);

  return *lock != NULL;
}

/* In-memory store: for unit tests and for front ends that must not
 * remember a sign-in. */

struct _TtdMemoryTokenStore
{
  GObject    parent_instance;
  GMutex     lock;
  GPtrArray *accounts;          /* TtdTokens, newest sign-in first */
  char      *default_id;
  char      *pending;
};

static void memory_iface_init (TtdTokenStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TtdMemoryTokenStore, ttd_memory_token_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TTD_TYPE_TOKEN_STORE, memory_iface_init))

/* Called with the lock held. */
static guint
memory_find (TtdMemoryTokenStore *self,
             const char          *open_id)
{
  for (guint i = 0; i < self->accounts->len; i++)
    {
      TtdTokens *tokens = g_ptr_array_index (self->accounts, i);

      if (open_id == NULL || g_strcmp0 (tokens->open_id, open_id) == 0)
        return i;
    }

  return G_MAXUINT;
}

static TtdTokens *
memory_load (TtdTokenStore  *store,
             const char     *open_id,
             GCancellable   *cancellable,
             GError        **error)
{
  TtdMemoryTokenStore *self = TTD_MEMORY_TOKEN_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  guint i = memory_find (self, open_id);

  return i != G_MAXUINT ? ttd_tokens_copy (g_ptr_array_index (self->accounts, i)) : NULL;
}

static GPtrArray *
memory_list (TtdTokenStore  *store,
             GCancellable   *cancellable,
             GError        **error)
{
  TtdMemoryTokenStore *self = TTD_MEMORY_TOKEN_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) ttd_tokens_free);

  for (guint i = 0; i < self->accounts->len; i++)
    g_ptr_array_add (copy, ttd_tokens_copy (g_ptr_array_index (self->accounts, i)));

  return copy;
}

static gboolean
memory_save (TtdTokenStore    *store,
             const TtdTokens  *tokens,
             GCancellable     *cancellable,
             GError          **error)
{
  TtdMemoryTokenStore *self = TTD_MEMORY_TOKEN_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  guint i = memory_find (self, tokens->open_id);

  if (i != G_MAXUINT)
    g_ptr_array_remove_index (self->accounts, i);
  g_ptr_array_insert (self->accounts, 0, ttd_tokens_copy (tokens));

  return TRUE;
}

static gboolean
memory_clear (TtdTokenStore  *store,
              const char     *open_id,
              GCancellable   *cancellable,
              GError        **error)
{
  TtdMemoryTokenStore *self = TTD_MEMORY_TOKEN_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  guint i;

  if (open_id == NULL)
    g_ptr_array_set_size (self->accounts, 0);
  else if ((i = memory_find (self, open_id)) != G_MAXUINT)
    g_ptr_array_remove_index (self->accounts, i);

  return TRUE;
}

static char *
memory_load_default (TtdTokenStore  *store,
                     GCancellable   *cancellable,
                     GError        **error)
{
  TtdMemoryTokenStore *self = TTD_MEMORY_TOKEN_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return g_strdup (self->default_id);
}

static gboolean
memory_save_default (TtdTokenStore  *store,
                     const char     *open_id,
                     GCancellable   *cancellable,
                     GError        **error)
{
  TtdMemoryTokenStore *self = TTD_MEMORY_TOKEN_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_free (self->default_id);
  self->default_id = g_strdup (open_id);

  return TRUE;
}

static char *
memory_load_pending (TtdTokenStore  *store,
                     GCancellable   *cancellable,
                     GError        **error)
{
  TtdMemoryTokenStore *self = TTD_MEMORY_TOKEN_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return g_strdup (self->pending);
}

static gboolean
memory_save_pending (TtdTokenStore  *store,
                     const char     *json,
                     GCancellable   *cancellable,
                     GError        **error)
{
  TtdMemoryTokenStore *self = TTD_MEMORY_TOKEN_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_free (self->pending);
  self->pending = g_strdup (json);

  return TRUE;
}

static void
memory_iface_init (TtdTokenStoreInterface *iface)
{
  iface->load = memory_load;
  iface->list = memory_list;
  iface->save = memory_save;
  iface->load_default = memory_load_default;
  iface->save_default = memory_save_default;
  iface->clear = memory_clear;
  iface->load_pending = memory_load_pending;
  iface->save_pending = memory_save_pending;
}

static void
ttd_memory_token_store_finalize (GObject *object)
{
  TtdMemoryTokenStore *self = TTD_MEMORY_TOKEN_STORE (object);

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->default_id, g_free);
  g_clear_pointer (&self->pending, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ttd_memory_token_store_parent_class)->finalize (object);
}

static void
ttd_memory_token_store_class_init (TtdMemoryTokenStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ttd_memory_token_store_finalize;
}

static void
ttd_memory_token_store_init (TtdMemoryTokenStore *self)
{
  g_mutex_init (&self->lock);
  self->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) ttd_tokens_free);
}

TtdTokenStore *
ttd_memory_token_store_new (void)
{
  return g_object_new (TTD_TYPE_MEMORY_TOKEN_STORE, NULL);
}
