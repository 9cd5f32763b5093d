/* ttd-account.c — one signed-in TikTok account and its tokens
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-account.h"
#include "ttd-error.h"
#include "ttd-secure.h"
#include "ttd-wait.h"

struct _TtdAccount
{
  GObject        parent_instance;

  TtdApiClient  *client;
  TtdTokenStore *store;

  /* Guards tokens; also serialises refreshes, so a rotated refresh token
   * is never used twice (which would make TikTok revoke the family). */
  GMutex         lock;
  TtdTokens     *tokens;

  /* Which account this is; NULL until loaded for "the default account". */
  char          *open_id;

  /* Keeps this process under TikTok's 6 upload inits a minute per account. */
  TtdPacer       init_pacer;
};

G_DEFINE_FINAL_TYPE (TtdAccount, ttd_account, G_TYPE_OBJECT)

static void
ttd_account_finalize (GObject *object)
{
  TtdAccount *self = TTD_ACCOUNT (object);

  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_pointer (&self->tokens, ttd_tokens_free);
  g_clear_pointer (&self->open_id, g_free);
  g_mutex_clear (&self->lock);
  ttd_pacer_clear (&self->init_pacer);

  G_OBJECT_CLASS (ttd_account_parent_class)->finalize (object);
}

static void
ttd_account_class_init (TtdAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ttd_account_finalize;
}

static void
ttd_account_init (TtdAccount *self)
{
  g_mutex_init (&self->lock);
  ttd_pacer_init (&self->init_pacer, TTD_INITS_PER_MINUTE, 60 * G_USEC_PER_SEC);
}

/**
 * ttd_account_pace_init:
 *
 * TikTok allows 6 upload inits a minute per account; wait (cancellably)
 * until one more is within that, then count it. Blocks.
 */
gboolean
ttd_account_pace_init (TtdAccount    *self,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (TTD_IS_ACCOUNT (self), FALSE);

  return ttd_pacer_wait (&self->init_pacer, cancellable, error);
}

/**
 * ttd_account_new_for_open_id:
 * @config: the app's TikTok configuration
 * @store: where the tokens live
 * @open_id: (nullable): the account; %NULL for the default one, which
 *   ttd_account_load() settles on
 */
TtdAccount *
ttd_account_new_for_open_id (const TtdConfig *config,
                             TtdTokenStore   *store,
                             const char      *open_id)
{
  TtdAccount *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (TTD_IS_TOKEN_STORE (store), NULL);

  self = g_object_new (TTD_TYPE_ACCOUNT, NULL);
  self->client = ttd_api_client_new (config);
  self->store = g_object_ref (store);
  self->open_id = g_strdup (open_id);

  return self;
}

/**
 * ttd_account_new:
 *
 * The default account (see ttd_token_store_load()).
 */
TtdAccount *
ttd_account_new (const TtdConfig *config,
                 TtdTokenStore   *store)
{
  return ttd_account_new_for_open_id (config, store, NULL);
}

/**
 * ttd_account_dup_open_id:
 *
 * Returns: (transfer full) (nullable): the account's open_id; %NULL for
 *   the default account before it was loaded (or when nobody is signed in)
 */
char *
ttd_account_dup_open_id (TtdAccount *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (TTD_IS_ACCOUNT (self), NULL);

  locker = g_mutex_locker_new (&self->lock);

  return g_strdup (self->open_id);
}

/**
 * ttd_account_dup_display_name:
 *
 * Returns: (transfer full) (nullable): the TikTok display name last seen
 */
char *
ttd_account_dup_display_name (TtdAccount *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (TTD_IS_ACCOUNT (self), NULL);

  locker = g_mutex_locker_new (&self->lock);

  return self->tokens != NULL ? g_strdup (self->tokens->display_name) : NULL;
}

TtdApiClient *
ttd_account_get_client (TtdAccount *self)
{
  g_return_val_if_fail (TTD_IS_ACCOUNT (self), NULL);

  return self->client;
}

TtdTokenStore *
ttd_account_get_store (TtdAccount *self)
{
  g_return_val_if_fail (TTD_IS_ACCOUNT (self), NULL);

  return self->store;
}

const TtdConfig *
ttd_account_get_config (TtdAccount *self)
{
  g_return_val_if_fail (TTD_IS_ACCOUNT (self), NULL);

  return ttd_api_client_get_config (self->client);
}

gboolean
ttd_account_is_signed_in (TtdAccount *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->tokens != NULL;
}

/**
 * ttd_account_dup_tokens:
 *
 * Returns: (transfer full) (nullable): a copy of the tokens.
 */
TtdTokens *
ttd_account_dup_tokens (TtdAccount *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->tokens ? ttd_tokens_copy (self->tokens) : NULL;
}

/* Called with the lock held. An account stays the account it is: only
 * the default account, before it is loaded, takes the open_id it finds. */
static void
replace_tokens (TtdAccount *self,
                TtdTokens  *tokens)
{
  g_clear_pointer (&self->tokens, ttd_tokens_free);
  self->tokens = tokens;
  if (tokens != NULL && g_strcmp0 (self->open_id, tokens->open_id) != 0)
    {
      g_free (self->open_id);
      self->open_id = g_strdup (tokens->open_id);
    }
}

gboolean
ttd_account_load (TtdAccount    *self,
                  GCancellable  *cancellable,
                  GError       **error)
{
  GError *local_error = NULL;
  g_autofree char *open_id = ttd_account_dup_open_id (self);
  TtdTokens *tokens;
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (TTD_IS_ACCOUNT (self), FALSE);

  tokens = ttd_token_store_load (self->store, open_id, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  replace_tokens (self, tokens);

  return TRUE;
}

/* The display name of the account @access_token belongs to, or NULL. */
static char *
fetch_display_name (TtdAccount   *self,
                    const char   *access_token,
                    GCancellable *cancellable)
{
  g_autoptr(TtdUserInfo) info = ttd_api_client_fetch_user_info (self->client, access_token,
                                                                cancellable, NULL);

  return info != NULL ? g_strdup (info->display_name) : NULL;
}

gboolean
ttd_account_complete_sign_in (TtdAccount    *self,
                              const char    *code,
                              const char    *redirect_uri,
                              const char    *code_verifier,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(TtdTokens) tokens = NULL;
  g_autoptr(TtdTokens) previous = NULL;
  g_autoptr(TtdFileLock) shared_lock = NULL;
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (TTD_IS_ACCOUNT (self), FALSE);

  tokens = ttd_api_client_exchange_code (self->client, code, redirect_uri, code_verifier,
                                         cancellable, error);
  if (tokens == NULL)
    return FALSE;

  if (!ttd_tokens_has_scope (tokens, "video.upload"))
    {
      /* Without it nothing can be sent; don't keep a useless sign-in. */
      ttd_api_client_revoke (self->client, tokens->access_token, cancellable, NULL);
      g_set_error (error, TTD_ERROR, TTD_ERROR_SCOPE,
                   _("TikTok Drafts was not allowed to upload videos. Sign in again and keep “Upload videos” switched on."));
      return FALSE;
    }

  /* The name the account list and the window show; not worth failing the
   * sign-in for, the next look at the account fills it in. */
  tokens->display_name = fetch_display_name (self, tokens->access_token, cancellable);

  /* Signing in to the same account again replaces its old sign-in: let
   * TikTok forget that one too. Other accounts stay signed in. */
  previous = ttd_token_store_load (self->store, tokens->open_id, cancellable, NULL);

  /* Not while another process is renewing the sign-in this replaces.
   * The account just added becomes the default, as it would be after a
   * first sign-in. */
  if (!ttd_token_store_lock (self->store, &shared_lock, cancellable, error) ||
      !ttd_token_store_save (self->store, tokens, cancellable, error) ||
      !ttd_token_store_set_default (self->store, tokens->open_id, cancellable, error))
    return FALSE;
  g_clear_pointer (&shared_lock, ttd_file_lock_release);

  if (previous != NULL && g_strcmp0 (previous->access_token, tokens->access_token) != 0)
    ttd_api_client_revoke (self->client, previous->access_token, cancellable, NULL);

  locker = g_mutex_locker_new (&self->lock);
  replace_tokens (self, g_steal_pointer (&tokens));

  return TRUE;
}

/* Whether @stored, just read back, is a later sign-in than @current: another
 * process rotated the tokens since this one read them. An older copy (this
 * process rotated them but could not save) is not. */
static gboolean
is_newer_sign_in (const TtdTokens *current,
                  const TtdTokens *stored)
{
  return stored != NULL &&
         g_strcmp0 (stored->open_id, current->open_id) == 0 &&
         g_strcmp0 (stored->refresh_token, current->refresh_token) != 0 &&
         stored->access_expires_at >= current->access_expires_at;
}

/* TikTok refused these tokens for good: forget them, but in the store only
 * if it still holds this very pair; it may hold another process's newer
 * sign-in by now. Called with both locks held. */
static void
forget_refused_tokens (TtdAccount   *self,
                       GCancellable *cancellable)
{
  g_autoptr(TtdTokens) stored = ttd_token_store_load (self->store, self->tokens->open_id,
                                                      cancellable, NULL);

  if (stored != NULL && g_strcmp0 (stored->refresh_token, self->tokens->refresh_token) == 0)
    ttd_token_store_clear (self->store, stored->open_id, cancellable, NULL);
  replace_tokens (self, NULL);
}

/* Called with the lock held. */
static gboolean
refresh_locked (TtdAccount    *self,
                GCancellable  *cancellable,
                GError       **error)
{
  GError *local_error = NULL;
  g_autoptr(TtdFileLock) shared_lock = NULL;
  g_autoptr(TtdTokens) stored = NULL;
  g_autoptr(TtdTokens) fresh = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* The app and any CLI command share the stored tokens: one at a time
   * rotates them, and each first looks whether another just did. */
  if (!ttd_token_store_lock (self->store, &shared_lock, cancellable, error))
    return FALSE;

  stored = ttd_token_store_load (self->store, self->tokens->open_id, cancellable, NULL);
  if (is_newer_sign_in (self->tokens, stored))
    {
      replace_tokens (self, g_steal_pointer (&stored));
      if (ttd_tokens_access_is_fresh (self->tokens, now))
        return TRUE;
    }

  if (!ttd_tokens_refresh_is_valid (self->tokens, now))
    {
      forget_refused_tokens (self, cancellable);
      g_set_error (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED,
                   _("Your TikTok sign-in has expired. Sign in again."));
      return FALSE;
    }

  fresh = ttd_api_client_refresh (self->client, self->tokens->refresh_token,
                                  cancellable, &local_error);
  if (fresh == NULL)
    {
      if (g_error_matches (local_error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED))
        forget_refused_tokens (self, cancellable);
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (fresh->display_name == NULL)
    fresh->display_name = g_strdup (self->tokens->display_name);

  /* Persist the rotated pair before using it: the old refresh token is
   * dead now, and losing the new one would force a new sign-in. */
  if (!ttd_token_store_save (self->store, fresh, cancellable, &local_error))
    {
      g_warning ("Keeping the refreshed TikTok sign-in in memory only: %s", local_error->message);
      g_clear_error (&local_error);
    }

  replace_tokens (self, g_steal_pointer (&fresh));

  return TRUE;
}

/**
 * ttd_account_dup_access_token:
 * @rejected_token: (nullable): a token TikTok just refused, which forces
 *   a refresh unless another thread already replaced it
 *
 * Returns a token valid for at least five more minutes, refreshing first
 * if needed (and re-reading the keyring, where another instance may have
 * rotated the tokens already).
 *
 * Returns: (transfer full): the access token; free with ttd_secure_free().
 */
char *
ttd_account_dup_access_token (TtdAccount    *self,
                              const char    *rejected_token,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (TTD_IS_ACCOUNT (self), NULL);

  locker = g_mutex_locker_new (&self->lock);

  /* An account known by its open_id (an item queued for it) reads its
   * tokens the first time it is used. */
  if (self->tokens == NULL && self->open_id != NULL)
    replace_tokens (self, ttd_token_store_load (self->store, self->open_id, cancellable, NULL));

  if (self->tokens == NULL)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED,
                   _("You are not signed in to TikTok. Sign in first."));
      return NULL;
    }

  if (rejected_token == NULL && ttd_tokens_access_is_fresh (self->tokens, now))
    return g_strdup (self->tokens->access_token);

  if (rejected_token != NULL && g_strcmp0 (rejected_token, self->tokens->access_token) != 0)
    return g_strdup (self->tokens->access_token);

  /* Another instance may have refreshed (and so rotated) already: that
   * is looked at under the lock the instances share. */
  if (!refresh_locked (self, cancellable, error))
    return NULL;

  return g_strdup (self->tokens->access_token);
}

gboolean
ttd_account_refresh (TtdAccount    *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (TTD_IS_ACCOUNT (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);

  if (self->tokens == NULL)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED,
                   _("You are not signed in to TikTok. Sign in first."));
      return FALSE;
    }

  return refresh_locked (self, cancellable, error);
}

/**
 * ttd_account_sign_out:
 * @revoke_problem: (out) (optional): why TikTok could not be told, if so
 *
 * Revokes the tokens at TikTok (best effort), then forgets them whatever
 * TikTok said.
 */
gboolean
ttd_account_sign_out (TtdAccount    *self,
                      char         **revoke_problem,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(TtdTokens) tokens = NULL;
  g_autoptr(GError) revoke_error = NULL;
  g_autofree char *open_id = NULL;
  g_autofree char *default_id = NULL;

  g_return_val_if_fail (TTD_IS_ACCOUNT (self), FALSE);

  g_mutex_lock (&self->lock);
  tokens = g_steal_pointer (&self->tokens);
  open_id = g_strdup (self->open_id);
  g_mutex_unlock (&self->lock);

  if (tokens == NULL)
    tokens = ttd_token_store_load (self->store, open_id, cancellable, NULL);

  /* Nobody to sign out; never "forget every account" by accident. */
  if (tokens == NULL)
    return TRUE;

  if (!ttd_api_client_revoke (self->client, tokens->access_token, cancellable, &revoke_error) &&
      revoke_problem != NULL)
    *revoke_problem = g_strdup (revoke_error->message);

  if (!ttd_token_store_clear (self->store, tokens->open_id, cancellable, error))
    return FALSE;

  /* The default moves on to the newest sign-in left, if any. */
  default_id = ttd_token_store_dup_default (self->store, cancellable, NULL);
  if (default_id == NULL || g_strcmp0 (default_id, tokens->open_id) == 0)
    {
      g_autoptr(TtdTokens) next = ttd_token_store_load (self->store, NULL, cancellable, NULL);

      if (next == NULL || g_strcmp0 (next->open_id, tokens->open_id) == 0)
        g_clear_pointer (&next, ttd_tokens_free);
      ttd_token_store_set_default (self->store, next ? next->open_id : NULL, cancellable, NULL);
    }

  return TRUE;
}

/**
 * ttd_account_call:
 * @call: the API call, given a fresh access token
 *
 * Runs @call with a valid token; if TikTok answers access_token_invalid,
 * refreshes once and runs it again (tiktok-api.md §11.2).
 *
 * Returns: what @call returned, or %NULL with @error set.
 */
gpointer
ttd_account_call (TtdAccount     *self,
                  TtdAccountCall  call,
                  gpointer        data,
                  GCancellable   *cancellable,
                  GError        **error)
{
  g_autofree char *rejected = NULL;

  g_return_val_if_fail (TTD_IS_ACCOUNT (self), NULL);

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      char *token = ttd_account_dup_access_token (self, rejected, cancellable, error);
      gpointer result;

      if (token == NULL)
        return NULL;

      result = call (self->client, token, data, cancellable, &local_error);
      if (result != NULL)
        {
          ttd_secure_free (token);
          return result;
        }

      ttd_secure_free (rejected);
      rejected = token;

      if (attempt > 0 || !g_error_matches (local_error, TTD_ERROR, TTD_ERROR_TOKEN_INVALID))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  g_assert_not_reached ();
}

static gpointer
user_info_call (TtdApiClient  *client,
                const char    *token,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  return ttd_api_client_fetch_user_info (client, token, cancellable, error);
}

/* Keeps the stored display name up to date when TikTok shows a new one. */
static void
remember_display_name (TtdAccount   *self,
                       const char   *display_name,
                       GCancellable *cancellable)
{
  g_autoptr(TtdTokens) copy = NULL;

  if (display_name == NULL)
    return;

  g_mutex_lock (&self->lock);
  if (self->tokens != NULL && g_strcmp0 (self->tokens->display_name, display_name) != 0)
    {
      g_free (self->tokens->display_name);
      self->tokens->display_name = g_strdup (display_name);
      copy = ttd_tokens_copy (self->tokens);
    }
  g_mutex_unlock (&self->lock);

  if (copy != NULL)
    {
      g_autoptr(TtdFileLock) shared_lock = NULL;

      if (ttd_token_store_lock (self->store, &shared_lock, cancellable, NULL))
        {
          g_autoptr(TtdTokens) stored = ttd_token_store_load (self->store, copy->open_id,
                                                              cancellable, NULL);

          /* Only onto the pair still stored, never over a newer rotation. */
          if (stored != NULL && g_strcmp0 (stored->refresh_token, copy->refresh_token) == 0)
            ttd_token_store_save (self->store, copy, cancellable, NULL);
        }
    }
}

TtdUserInfo *
ttd_account_fetch_user_info (TtdAccount    *self,
                             GCancellable  *cancellable,
                             GError       **error)
{
  TtdUserInfo *info = ttd_account_call (self, user_info_call, NULL, cancellable, error);

  if (info != NULL)
    remember_display_name (self, info->display_name, cancellable);

  return info;
}

static gpointer
status_call (TtdApiClient  *client,
             const char    *token,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return ttd_api_client_fetch_status (client, token, data, cancellable, error);
}

TtdPublishStatus *
ttd_account_fetch_status (TtdAccount    *self,
                          const char    *publish_id,
                          GCancellable  *cancellable,
                          GError       **error)
{
  return ttd_account_call (self, status_call, (gpointer) publish_id, cancellable, error);
}

/* Async wrappers: each runs the blocking call in a GTask thread. */

typedef struct
{
  char *code;
  char *redirect_uri;
  char *code_verifier;
  char *revoke_problem;
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  ttd_secure_free (data->code);
  g_free (data->redirect_uri);
  ttd_secure_free (data->code_verifier);
  g_free (data->revoke_problem);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (ttd_account_load (source_object, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ttd_account_load_async (TtdAccount          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ttd_account_load_async);
  g_task_run_in_thread (task, load_thread);
}

gboolean
ttd_account_load_finish (TtdAccount    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sign_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SignInData *data = task_data;
  GError *error = NULL;

  if (ttd_account_complete_sign_in (source_object, data->code, data->redirect_uri,
                                    data->code_verifier, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ttd_account_complete_sign_in_async (TtdAccount          *self,
                                    const char          *code,
                                    const char          *redirect_uri,
                                    const char          *code_verifier,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SignInData *data = g_new0 (SignInData, 1);

  data->code = g_strdup (code);
  data->redirect_uri = g_strdup (redirect_uri);
  data->code_verifier = g_strdup (code_verifier);
  g_task_set_source_tag (task, ttd_account_complete_sign_in_async);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_data_free);
  g_task_run_in_thread (task, sign_in_thread);
}

gboolean
ttd_account_complete_sign_in_finish (TtdAccount    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sign_out_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SignInData *data = task_data;
  GError *error = NULL;

  if (ttd_account_sign_out (source_object, &data->revoke_problem, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ttd_account_sign_out_async (TtdAccount          *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ttd_account_sign_out_async);
  g_task_set_task_data (task, g_new0 (SignInData, 1), (GDestroyNotify) sign_in_data_free);
  g_task_run_in_thread (task, sign_out_thread);
}

gboolean
ttd_account_sign_out_finish (TtdAccount    *self,
                             GAsyncResult  *result,
                             char         **revoke_problem,
                             GError       **error)
{
  SignInData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (revoke_problem != NULL)
    *revoke_problem = g_steal_pointer (&data->revoke_problem);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
user_info_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  TtdUserInfo *info = ttd_account_fetch_user_info (source_object, cancellable, &error);

  if (info != NULL)
    g_task_return_pointer (task, info, (GDestroyNotify) ttd_user_info_free);
  else
    g_task_return_error (task, error);
}

void
ttd_account_fetch_user_info_async (TtdAccount          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ttd_account_fetch_user_info_async);
  g_task_run_in_thread (task, user_info_thread);
}

TtdUserInfo *
ttd_account_fetch_user_info_finish (TtdAccount    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
