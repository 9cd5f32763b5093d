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

TtdTokens *
ttd_token_store_load (TtdTokenStore  *self,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_return_val_if_fail (TTD_IS_TOKEN_STORE (self), NULL);

  return TTD_TOKEN_STORE_GET_IFACE (self)->load (self, cancellable, error);
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

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  TtdTokens *tokens = ttd_token_store_load (source_object, cancellable, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify) ttd_tokens_free);
}

void
ttd_token_store_load_async (TtdTokenStore       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TTD_IS_TOKEN_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ttd_token_store_load_async);
  g_task_run_in_thread (task, load_thread);
}

/**
 * ttd_token_store_load_finish:
 *
 * Returns: (transfer full) (nullable): the tokens; %NULL with no error
 *   when nobody is signed in.
 */
TtdTokens *
ttd_token_store_load_finish (TtdTokenStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* In-memory store: for unit tests and for front ends that must not
 * remember a sign-in. */

struct _TtdMemoryTokenStore
{
  GObject    parent_instance;
  GMutex     lock;
  TtdTokens *tokens;
  char      *pending;
};

static void memory_iface_init (TtdTokenStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TtdMemoryTokenStore, ttd_memory_token_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TTD_TYPE_TOKEN_STORE, memory_iface_init))

static TtdTokens *
memory_load (TtdTokenStore  *store,
             GCancellable   *cancellable,
             GError        **error)
{
  TtdMemoryTokenStore *self = TTD_MEMORY_TOKEN_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->tokens ? ttd_tokens_copy (self->tokens) : NULL;
}

static gboolean
memory_save (TtdTokenStore    *store,
             const TtdTokens  *tokens,
             GCancellable     *cancellable,
             GError          **error)
{
  TtdMemoryTokenStore *self = TTD_MEMORY_TOKEN_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_clear_pointer (&self->tokens, ttd_tokens_free);
  self->tokens = ttd_tokens_copy (tokens);

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

  if (self->tokens != NULL &&
      (open_id == NULL || g_strcmp0 (open_id, self->tokens->open_id) == 0))
    g_clear_pointer (&self->tokens, ttd_tokens_free);

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
  iface->save = memory_save;
  iface->clear = memory_clear;
  iface->load_pending = memory_load_pending;
  iface->save_pending = memory_save_pending;
}

static void
ttd_memory_token_store_finalize (GObject *object)
{
  TtdMemoryTokenStore *self = TTD_MEMORY_TOKEN_STORE (object);

  g_clear_pointer (&self->tokens, ttd_tokens_free);
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
}

TtdTokenStore *
ttd_memory_token_store_new (void)
{
  return g_object_new (TTD_TYPE_MEMORY_TOKEN_STORE, NULL);
}
