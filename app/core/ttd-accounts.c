/* ttd-accounts.c — the TikTok accounts signed in on this computer
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every account is one item in the token store. The store also keeps
 * which one is the default: the account a command or the window uses when
 * none is named. TtdAccounts hands out one TtdAccount per open_id for the
 * life of the process, so that all work for an account shares its token
 * lock and its pacing of upload inits.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-accounts.h"
#include "ttd-error.h"

struct _TtdAccounts
{
  GObject        parent_instance;

  TtdConfig     *config;
  TtdTokenStore *store;

  GMutex         lock;
  GHashTable    *by_open_id;    /* open_id → TtdAccount */
};

G_DEFINE_FINAL_TYPE (TtdAccounts, ttd_accounts, G_TYPE_OBJECT)

void
ttd_account_info_free (TtdAccountInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->open_id);
  g_free (self->display_name);
  g_free (self);
}

static void
ttd_accounts_finalize (GObject *object)
{
  TtdAccounts *self = TTD_ACCOUNTS (object);

  g_clear_pointer (&self->by_open_id, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_pointer (&self->config, ttd_config_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ttd_accounts_parent_class)->finalize (object);
}

static void
ttd_accounts_class_init (TtdAccountsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ttd_accounts_finalize;
}

static void
ttd_accounts_init (TtdAccounts *self)
{
  g_mutex_init (&self->lock);
  self->by_open_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

TtdAccounts *
ttd_accounts_new (const TtdConfig *config,
                  TtdTokenStore   *store)
{
  TtdAccounts *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (TTD_IS_TOKEN_STORE (store), NULL);

  self = g_object_new (TTD_TYPE_ACCOUNTS, NULL);
  self->config = ttd_config_copy (config);
  self->store = g_object_ref (store);

  return self;
}

TtdTokenStore *
ttd_accounts_get_store (TtdAccounts *self)
{
  g_return_val_if_fail (TTD_IS_ACCOUNTS (self), NULL);

  return self->store;
}

const TtdConfig *
ttd_accounts_get_config (TtdAccounts *self)
{
  g_return_val_if_fail (TTD_IS_ACCOUNTS (self), NULL);

  return self->config;
}

/**
 * ttd_accounts_get:
 * @open_id: (nullable): the account; %NULL gives a new, unbound account
 *   object for the default account (or for a sign-in still to come)
 *
 * Does not read the keyring; load the account before use.
 *
 * Returns: (transfer full): the process's one TtdAccount for @open_id
 */
TtdAccount *
ttd_accounts_get (TtdAccounts *self,
                  const char  *open_id)
{
  g_autoptr(GMutexLocker) locker = NULL;
  TtdAccount *account;

  g_return_val_if_fail (TTD_IS_ACCOUNTS (self), NULL);

  if (open_id == NULL)
    return ttd_account_new (self->config, self->store);

  locker = g_mutex_locker_new (&self->lock);
  account = g_hash_table_lookup (self->by_open_id, open_id);
  if (account == NULL)
    {
      account = ttd_account_new_for_open_id (self->config, self->store, open_id);
      g_hash_table_insert (self->by_open_id, g_strdup (open_id), account);
    }

  return g_object_ref (account);
}

/**
 * ttd_accounts_list:
 *
 * Returns: (transfer full) (element-type TtdAccountInfo): the signed-in
 *   accounts, newest sign-in first, exactly one of them the default; or
 *   %NULL with @error set
 */
GPtrArray *
ttd_accounts_list (TtdAccounts   *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  GError *local_error = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autofree char *default_id = NULL;
  GPtrArray *infos;
  gboolean have_default = FALSE;

  g_return_val_if_fail (TTD_IS_ACCOUNTS (self), NULL);

  tokens = ttd_token_store_list (self->store, cancellable, error);
  if (tokens == NULL)
    return NULL;

  default_id = ttd_token_store_dup_default (self->store, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  infos = g_ptr_array_new_with_free_func ((GDestroyNotify) ttd_account_info_free);
  for (guint i = 0; i < tokens->len; i++)
    {
      TtdTokens *t = g_ptr_array_index (tokens, i);
      TtdAccountInfo *info = g_new0 (TtdAccountInfo, 1);

      info->open_id = g_strdup (t->open_id);
      info->display_name = g_strdup (t->display_name);
      info->is_default = !have_default && g_strcmp0 (t->open_id, default_id) == 0;
      have_default |= info->is_default;
      g_ptr_array_add (infos, info);
    }

  /* No default set, or it was signed out: the newest sign-in is. */
  if (!have_default && infos->len > 0)
    ((TtdAccountInfo *) g_ptr_array_index (infos, 0))->is_default = TRUE;

  return infos;
}

/* The open_id of the account @name means: an open_id, or a display name
 * that only one account has; %NULL means the default. */
static char *
resolve (TtdAccounts   *self,
         const char    *name,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(GPtrArray) infos = ttd_accounts_list (self, cancellable, error);
  g_autoptr(GString) names = g_string_new (NULL);
  TtdAccountInfo *by_name = NULL;
  guint n_by_name = 0;

  if (infos == NULL)
    return NULL;

  for (guint i = 0; i < infos->len; i++)
    {
      TtdAccountInfo *info = g_ptr_array_index (infos, i);

      if (name == NULL ? info->is_default : g_strcmp0 (info->open_id, name) == 0)
        return g_strdup (info->open_id);
      if (name != NULL && info->display_name != NULL &&
          g_utf8_collate (info->display_name, name) == 0)
        {
          by_name = info;
          n_by_name++;
        }
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, info->display_name != NULL ? info->display_name : info->open_id);
    }

  if (name == NULL)
    {
      g_set_error_literal (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED,
                           _("You are not signed in to TikTok. Sign in first."));
      return NULL;
    }

  if (n_by_name == 1)
    return g_strdup (by_name->open_id);

  if (n_by_name > 1)
    g_set_error (error, TTD_ERROR, TTD_ERROR_NO_SUCH_ACCOUNT,
                 _("More than one signed-in TikTok account is called “%s”. Name the one you mean by its open_id instead."),
                 name);
  else if (infos->len == 0)
    g_set_error (error, TTD_ERROR, TTD_ERROR_NO_SUCH_ACCOUNT,
                 _("No TikTok account called “%s” is signed in: no account is signed in at all. Sign in first."),
                 name);
  else
    g_set_error (error, TTD_ERROR, TTD_ERROR_NO_SUCH_ACCOUNT,
                 /* Translators: the second %s is a list of account names */
                 _("No TikTok account called “%s” is signed in. The accounts signed in are: %s."),
                 name, names->str);

  return NULL;
}

/**
 * ttd_accounts_lookup:
 * @name: (nullable): an open_id or a display name; %NULL for the default
 *
 * Returns: (transfer full): the account, its tokens loaded; or %NULL with
 *   @error set when no such account is signed in
 */
TtdAccount *
ttd_accounts_lookup (TtdAccounts   *self,
                     const char    *name,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *open_id = NULL;
  g_autoptr(TtdAccount) account = NULL;

  g_return_val_if_fail (TTD_IS_ACCOUNTS (self), NULL);

  /* An open_id (what queue items carry) is one keyring read; only a
   * display name needs the whole list. */
  if (name != NULL)
    {
      GError *local_error = NULL;
      g_autoptr(TtdTokens) tokens = ttd_token_store_load (self->store, name, cancellable, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (tokens != NULL)
        open_id = g_strdup (tokens->open_id);
    }

  if (open_id == NULL)
    open_id = resolve (self, name, cancellable, error);
  if (open_id == NULL)
    return NULL;

  account = ttd_accounts_get (self, open_id);
  if (!ttd_account_is_signed_in (account) &&
      !ttd_account_load (account, cancellable, error))
    return NULL;

  return g_steal_pointer (&account);
}

/**
 * ttd_accounts_set_default:
 * @name: an open_id or a display name
 *
 * Makes that account the one used when none is named.
 */
gboolean
ttd_accounts_set_default (TtdAccounts   *self,
                          const char    *name,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autofree char *open_id = NULL;

  g_return_val_if_fail (TTD_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  open_id = resolve (self, name, cancellable, error);

  return open_id != NULL &&
         ttd_token_store_set_default (self->store, open_id, cancellable, error);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *infos = ttd_accounts_list (source_object, cancellable, &error);

  if (infos != NULL)
    g_task_return_pointer (task, infos, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
ttd_accounts_list_async (TtdAccounts         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ttd_accounts_list_async);
  g_task_run_in_thread (task, list_thread);
}

/**
 * ttd_accounts_list_finish:
 *
 * Returns: (transfer full) (element-type TtdAccountInfo): as
 *   ttd_accounts_list()
 */
GPtrArray *
ttd_accounts_list_finish (TtdAccounts   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
set_default_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;

  if (ttd_accounts_set_default (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ttd_accounts_set_default_async (TtdAccounts         *self,
                                const char          *name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ttd_accounts_set_default_async);
  g_task_set_task_data (task, g_strdup (name), g_free);
  g_task_run_in_thread (task, set_default_thread);
}

gboolean
ttd_accounts_set_default_finish (TtdAccounts   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
