/* ttd-secret-token-store.c — tokens in the system keyring (libsecret)
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "ttd-error.h"
#include "ttd-log.h"
#include "ttd-secure.h"
#include "ttd-token-store.h"

#define TOKEN_FORMAT_VERSION 1

/* A refresh is one request of at most two minutes (the API client's
 * timeout) plus the keyring: a holder taking longer than this is stuck. */
#define LOCK_TIMEOUT_SECONDS (3 * 60)

/* One item per account: the JSON secret holds both tokens and their
 * absolute expiry, so a rotation is one atomic write. */
static const SecretSchema token_schema = {
  "org.cofndrly.TikTokDrafts.Token", SECRET_SCHEMA_NONE,
  {
    { "open_id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "version", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { NULL, 0 },
  }
};

/* The PKCE verifier and state between `auth --redirect-uri` and
 * `token --code`: secret enough that it never goes to a plain file. */
static const SecretSchema pending_schema = {
  "org.cofndrly.TikTokDrafts.PendingSignIn", SECRET_SCHEMA_NONE,
  {
    { "version", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
    { NULL, 0 },
  }
};

/* Other secrets the app keeps: the developer app's client secret and the
 * photo host's password or bearer token. */
static const SecretSchema password_schema = {
  "org.cofndrly.TikTokDrafts.Password", SECRET_SCHEMA_NONE,
  {
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "key", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

struct _TtdSecretTokenStore
{
  GObject parent_instance;
};

static void secret_iface_init (TtdTokenStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TtdSecretTokenStore, ttd_secret_token_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TTD_TYPE_TOKEN_STORE, secret_iface_init))

/* Keyring failures are never papered over with a plaintext fallback:
 * say what happened and what the user can do. */
static void
set_keyring_error (GError     **error,
                   GError      *cause,
                   const char  *what)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, cause);
      return;
    }

  g_set_error (error, TTD_ERROR, TTD_ERROR_KEYRING,
               /* Translators: the first %s is an action such as “read the saved sign-in” (translated
                  separately; translate those so they fit here), the second the cause */
               _("The system keyring could not %s (%s). Make sure a keyring such as GNOME Keyring is running and unlocked, then try again."),
               what, cause ? cause->message : _("no keyring service answered"));
  g_clear_error (&cause);
}

/* One secret as a string of our own (libsecret's copy is wiped), or
 * %NULL: none, or an error saying the keyring could not @what. */
static char *
lookup_text (const SecretSchema  *schema,
             GHashTable          *attributes,
             const char          *what,
             GCancellable        *cancellable,
             GError             **error)
{
  GError *local_error = NULL;
  char *secret;
  char *copy;

  secret = secret_password_lookupv_sync (schema, attributes, cancellable, &local_error);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, what);
      return NULL;
    }

  copy = g_strdup (secret);
  secret_password_free (secret);

  return copy;
}

static gint
newest_first (gconstpointer a,
              gconstpointer b)
{
  guint64 ma = secret_retrievable_get_modified (*(SecretRetrievable **) a);
  guint64 mb = secret_retrievable_get_modified (*(SecretRetrievable **) b);

  return ma < mb ? 1 : ma > mb ? -1 : 0;
}

/* The accounts' tokens, newest sign-in first: all of them, or those of
 * @open_id, at most @max_items (0: no limit). */
static GPtrArray *
search_tokens (const char    *open_id,
               guint          max_items,
               GCancellable  *cancellable,
               GError       **error)
{
  GError *local_error = NULL;
  g_autolist(SecretRetrievable) items = NULL;
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) ttd_tokens_free);
  g_autoptr(GHashTable) attributes = secret_attributes_build (&token_schema,
                                                              "version", TOKEN_FORMAT_VERSION,
                                                              NULL);

  if (open_id != NULL)
    g_hash_table_insert (attributes, g_strdup ("open_id"), g_strdup (open_id));

  items = secret_password_searchv_sync (&token_schema, attributes,
                                        SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                                        cancellable, &local_error);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, _("read the saved sign-in"));
      return NULL;
    }

  for (GList *l = items; l != NULL; l = l->next)
    g_ptr_array_add (sorted, l->data);
  g_ptr_array_sort (sorted, newest_first);

  for (guint i = 0; i < sorted->len && (max_items == 0 || found->len < max_items); i++)
    {
      g_autoptr(SecretValue) value = NULL;
      g_autoptr(GError) parse_error = NULL;
      TtdTokens *tokens;

      value = secret_retrievable_retrieve_secret_sync (g_ptr_array_index (sorted, i),
                                                       cancellable, &local_error);
      if (local_error != NULL)
        {
          set_keyring_error (error, local_error, _("read the saved sign-in"));
          return NULL;
        }
      if (value == NULL)
        continue;

      tokens = ttd_tokens_new_from_json (secret_value_get_text (value), &parse_error);
      if (tokens == NULL)
        {
          /* One unreadable item must not hide the other accounts. */
          if (open_id != NULL || max_items == 1)
            {
              g_propagate_error (error, g_steal_pointer (&parse_error));
              return NULL;
            }
          continue;
        }
      g_ptr_array_add (found, tokens);
    }

  return g_steal_pointer (&found);
}

static TtdTokens *
secret_load (TtdTokenStore  *store,
             const char     *open_id,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autoptr(GPtrArray) found = search_tokens (open_id, 1, cancellable, error);

  if (found == NULL || found->len == 0)
    return NULL;

  return g_ptr_array_steal_index (found, 0);
}

static GPtrArray *
secret_list (TtdTokenStore  *store,
             GCancellable   *cancellable,
             GError        **error)
{
  return search_tokens (NULL, 0, cancellable, error);
}

static gboolean
secret_save (TtdTokenStore    *store,
             const TtdTokens  *tokens,
             GCancellable     *cancellable,
             GError          **error)
{
  GError *local_error = NULL;
  g_autofree char *label = NULL;
  char *json = ttd_tokens_to_json (tokens);
  gboolean ok;

  /* Seahorse shows the label: name the account it is for. */
  if (tokens->display_name != NULL && *tokens->display_name != '\0')
    /* Translators: %s is the TikTok account's display name */
    label = g_strdup_printf (_("TikTok Drafts – TikTok sign-in (%s)"), tokens->display_name);
  else
    label = g_strdup (_("TikTok Drafts – TikTok sign-in"));

  /* Storing with the same attributes replaces that account's item only;
   * the other accounts stay signed in. */
  ok = secret_password_store_sync (&token_schema, SECRET_COLLECTION_DEFAULT, label, json,
                                   cancellable, &local_error,
                                   "open_id", tokens->open_id,
                                   "version", TOKEN_FORMAT_VERSION,
                                   NULL);
  ttd_secure_free (json);

  if (!ok)
    {
      /* Translators: put into “The system keyring could not %s (%s).” */
      set_keyring_error (error, local_error, _("save the sign-in"));
      return FALSE;
    }

  return TRUE;
}

#define DEFAULT_ACCOUNT_KIND "default-account"

/* Which account commands and the window use when none is named: an
 * identifier, not a secret, but kept beside the tokens in the same store
 * so that the two never disagree about which accounts exist. */
static char *
secret_load_default (TtdTokenStore  *store,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autoptr(GHashTable) attributes = secret_attributes_build (&password_schema,
                                                              "kind", DEFAULT_ACCOUNT_KIND,
                                                              "key", "", NULL);

  return lookup_text (&password_schema, attributes, _("read the saved sign-in"), cancellable, error);
}

static gboolean
secret_save_default (TtdTokenStore  *store,
                     const char     *open_id,
                     GCancellable   *cancellable,
                     GError        **error)
{
  return ttd_secret_store_password (DEFAULT_ACCOUNT_KIND, "", _("TikTok Drafts – default TikTok account"),
                                    open_id, cancellable, error);
}

static gboolean
secret_clear (TtdTokenStore  *store,
              const char     *open_id,
              GCancellable   *cancellable,
              GError        **error)
{
  GError *local_error = NULL;

  if (open_id != NULL)
    secret_password_clear_sync (&token_schema, cancellable, &local_error,
                                "open_id", open_id,
                                "version", TOKEN_FORMAT_VERSION,
                                NULL);
  else
    secret_password_clear_sync (&token_schema, cancellable, &local_error,
                                "version", TOKEN_FORMAT_VERSION,
                                NULL);

  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, _("remove the saved sign-in"));
      return FALSE;
    }

  return TRUE;
}

static char *
secret_load_pending (TtdTokenStore  *store,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autoptr(GHashTable) attributes = secret_attributes_build (&pending_schema,
                                                              "version", TOKEN_FORMAT_VERSION,
                                                              NULL);

  return lookup_text (&pending_schema, attributes, _("read the pending sign-in"), cancellable, error);
}

static gboolean
secret_save_pending (TtdTokenStore  *store,
                     const char     *json,
                     GCancellable   *cancellable,
                     GError        **error)
{
  GError *local_error = NULL;

  if (json == NULL)
    secret_password_clear_sync (&pending_schema, cancellable, &local_error,
                                "version", TOKEN_FORMAT_VERSION,
                                NULL);
  else
    secret_password_store_sync (&pending_schema, SECRET_COLLECTION_DEFAULT,
                                _("TikTok Drafts – sign-in in progress"), json,
                                cancellable, &local_error,
                                "version", TOKEN_FORMAT_VERSION,
                                NULL);

  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, _("keep the sign-in in progress"));
      return FALSE;
    }

  return TRUE;
}

/* The keyring is shared by every TikTok Drafts process of the user (the
 * app, any number of CLI commands): they take turns to rotate the tokens,
 * on a lock file beside the queue. */
static TtdFileLock *
secret_lock (TtdTokenStore  *store,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "tiktok-drafts", "tokens.lock", NULL);
  g_autoptr(GError) local_error = NULL;
  TtdFileLock *lock;

  lock = ttd_file_lock_acquire (path, LOCK_TIMEOUT_SECONDS, cancellable, &local_error);
  if (lock != NULL)
    return lock;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error_literal (error, TTD_ERROR, TTD_ERROR_TIMEOUT,
                         _("Another TikTok Drafts window or command has been renewing the TikTok sign-in for minutes without finishing. Close it, then try again."));
  else
    g_set_error (error, TTD_ERROR, TTD_ERROR_FAILED,
                 _("The TikTok sign-in could not be renewed safely, because its lock file could not be opened (%s)."),
                 local_error->message);

  return NULL;
}

static void
secret_iface_init (TtdTokenStoreInterface *iface)
{
  iface->lock = secret_lock;
  iface->load = secret_load;
  iface->list = secret_list;
  iface->save = secret_save;
  iface->load_default = secret_load_default;
  iface->save_default = secret_save_default;
  iface->clear = secret_clear;
  iface->load_pending = secret_load_pending;
  iface->save_pending = secret_save_pending;
}

static void
ttd_secret_token_store_class_init (TtdSecretTokenStoreClass *klass)
{
}

static void
ttd_secret_token_store_init (TtdSecretTokenStore *self)
{
}

TtdTokenStore *
ttd_secret_token_store_new (void)
{
  return g_object_new (TTD_TYPE_SECRET_TOKEN_STORE, NULL);
}

/**
 * ttd_secret_lookup_password:
 * @kind: what the secret is for, e.g. "client-secret" or "photo-host"
 * @key: which one, e.g. the client key or the host URL
 *
 * Returns: (transfer full) (nullable): the secret; free it with
 *   ttd_secure_free().
 */
char *
ttd_secret_lookup_password (const char    *kind,
                            const char    *key,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GHashTable) attributes = secret_attributes_build (&password_schema,
                                                              "kind", kind,
                                                              "key", key ? key : "", NULL);
  char *copy = lookup_text (&password_schema, attributes, _("read a saved password"),
                            cancellable, error);

  ttd_log_add_secret (copy);

  return copy;
}

gboolean
ttd_secret_store_password (const char    *kind,
                           const char    *key,
                           const char    *label,
                           const char    *password,
                           GCancellable  *cancellable,
                           GError       **error)
{
  GError *local_error = NULL;

  if (password == NULL || *password == '\0')
    secret_password_clear_sync (&password_schema, cancellable, &local_error,
                                "kind", kind, "key", key ? key : "", NULL);
  else
    secret_password_store_sync (&password_schema, SECRET_COLLECTION_DEFAULT, label, password,
                                cancellable, &local_error,
                                "kind", kind, "key", key ? key : "", NULL);

  if (local_error != NULL)
    {
      set_keyring_error (error, local_error, _("save a password"));
      return FALSE;
    }

  return TRUE;
}

char *
ttd_secret_lookup_client_secret (const char    *client_key,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  return ttd_secret_lookup_password ("client-secret", client_key, cancellable, error);
}

gboolean
ttd_secret_store_client_secret (const char    *client_key,
                                const char    *client_secret,
                                GCancellable  *cancellable,
                                GError       **error)
{
  return ttd_secret_store_password ("client-secret", client_key,
                                    _("TikTok Drafts – TikTok client secret"),
                                    client_secret, cancellable, error);
}
