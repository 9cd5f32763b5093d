/* ttd-auth-flow.c — browser sign-in caught on a loopback listener
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ttd-auth-flow.h"
#include "ttd-error.h"
#include "ttd-json.h"
#include "ttd-log.h"
#include "ttd-secure.h"

#define CALLBACK_PATH "/callback/"

/* The pages never echo anything they received, load nothing and tell the
 * browser to keep nothing (oauth-and-keyring.md §7.4). */
#define PAGE_HEAD \
  "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">" \
  "<meta name=\"viewport\" content=\"width=device-width\"><title>TikTok Drafts</title>" \
  "<style>body{font-family:system-ui,sans-serif;max-width:32em;margin:4em auto;padding:0 1em;" \
  "color:#241f31}h1{font-size:1.4em}@media(prefers-color-scheme:dark){body{background:#242424;" \
  "color:#fff}}</style></head><body>"
#define PAGE_TAIL "</body></html>"

struct _TtdAuthFlow
{
  GObject          parent_instance;

  SoupServer      *server;
  GTask           *task;
  GSource         *timeout_source;
  guint            timeout_seconds;
  guint            port;
  TtdPkceEncoding  encoding;
  char            *verifier;
  char            *state;
  char            *redirect_uri;
  char            *authorize_uri;
  char            *code;
  GError          *failure;
  gboolean         answered;
};

G_DEFINE_FINAL_TYPE (TtdAuthFlow, ttd_auth_flow, G_TYPE_OBJECT)

static void
ttd_auth_flow_dispose (GObject *object)
{
  TtdAuthFlow *self = TTD_AUTH_FLOW (object);

  ttd_auth_flow_stop (self);

  G_OBJECT_CLASS (ttd_auth_flow_parent_class)->dispose (object);
}

static void
ttd_auth_flow_finalize (GObject *object)
{
  TtdAuthFlow *self = TTD_AUTH_FLOW (object);

  ttd_secure_free (self->verifier);
  ttd_secure_free (self->state);
  ttd_secure_free (self->code);
  g_free (self->redirect_uri);
  g_free (self->authorize_uri);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (ttd_auth_flow_parent_class)->finalize (object);
}

static void
ttd_auth_flow_class_init (TtdAuthFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ttd_auth_flow_dispose;
  object_class->finalize = ttd_auth_flow_finalize;
}

static void
ttd_auth_flow_init (TtdAuthFlow *self)
{
  self->timeout_seconds = TTD_AUTH_TIMEOUT_SECONDS;
}

static gboolean
make_secrets (TtdAuthFlow  *self,
              GError      **error)
{
  self->verifier = ttd_pkce_new_verifier (error);
  if (self->verifier == NULL)
    return FALSE;

  /* 32 random bytes: 256 bits of state, single use, memory only. */
  self->state = ttd_random_token (32, error);
  if (self->state == NULL)
    return FALSE;

  ttd_log_add_secret (self->verifier);
  ttd_log_add_secret (self->state);

  return TRUE;
}

static gboolean
build_authorize_uri (TtdAuthFlow      *self,
                     const TtdConfig  *config,
                     GError          **error)
{
  g_autofree char *challenge = ttd_pkce_challenge (self->verifier, self->encoding);
  g_autofree char *query = NULL;
  const char *separator;

  if (!ttd_check_base_uri (_("TikTok sign-in address"), config->auth_url, error))
    return FALSE;

  if (config->client_key == NULL || *config->client_key == '\0')
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   _("No TikTok client key is configured. Set it in Preferences or in %s."),
                   TTD_ENV_CLIENT_KEY);
      return FALSE;
    }

  query = soup_form_encode ("client_key", config->client_key,
                            "response_type", "code",
                            "scope", TTD_SCOPES,
                            "redirect_uri", self->redirect_uri,
                            "state", self->state,
                            "code_challenge", challenge,
                            "code_challenge_method", "S256",
                            NULL);
  separator = strchr (config->auth_url, '?') ? "&" : "?";
  self->authorize_uri = g_strconcat (config->auth_url, separator, query, NULL);

  return TRUE;
}

static void
respond (SoupServerMessage *message,
         guint              status,
         const char        *title,
         const char        *text)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  g_autofree char *html = NULL;

  html = g_markup_printf_escaped (PAGE_HEAD "<h1>%s</h1><p>%s</p>" PAGE_TAIL, title, text);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Pragma", "no-cache");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "Connection", "close");
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "text/html; charset=utf-8",
                                    SOUP_MEMORY_COPY, html, strlen (html));
}

static void
complete (TtdAuthFlow *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  ttd_auth_flow_stop (self);

  if (task == NULL)
    return;

  if (self->failure != NULL)
    g_task_return_error (task, g_steal_pointer (&self->failure));
  else
    g_task_return_pointer (task, g_strdup (self->code), (GDestroyNotify) ttd_secure_free);
}

static gboolean
complete_idle (gpointer user_data)
{
  complete (user_data);
  return G_SOURCE_REMOVE;
}

static void
answered_cb (SoupServerMessage *message,
             TtdAuthFlow       *self)
{
  GSource *source;

  /* The page has been written: now stop listening, before the caller goes
   * on to exchange the code. From an idle, because the server must not be
   * torn down inside its own message's signal. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, complete_idle, g_object_ref (self), g_object_unref);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

/* The query's parameters, or %NULL when it is not a well-formed form
 * encoding or names a parameter twice: with `state=bad&state=good`, which
 * one was meant is anyone's guess, so neither is taken. */
static GHashTable *
decode_query (const char *query)
{
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  GUriParamsIter iter;
  char *name;
  char *value;

  if (query == NULL)
    return NULL;

  /* The values include the code: wipe them when done. */
  params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) ttd_secure_free);
  g_uri_params_iter_init (&iter, query, -1, "&", G_URI_PARAMS_WWW_FORM);
  while (g_uri_params_iter_next (&iter, &name, &value, &error))
    {
      gboolean repeated = g_hash_table_contains (params, name);

      g_hash_table_insert (params, name, value);
      if (repeated)
        return NULL;
    }

  return error == NULL ? g_steal_pointer (&params) : NULL;
}

/**
 * ttd_auth_parse_callback:
 * @query: the raw query string of the callback request
 * @expected_state: the state this attempt sent
 * @code: (out): the authorization code
 *
 * Returns: %TRUE with @code set; %FALSE with a TTD_ERROR_AUTH_DENIED (or
 *   other) error when TikTok reported one for this attempt; %FALSE with a
 *   G_IO_ERROR_INVALID_DATA error when the request does not belong to this
 *   attempt and must be ignored.
 */
gboolean
ttd_auth_parse_callback (const char  *query,
                         const char  *expected_state,
                         char       **code,
                         GError     **error)
{
  g_autoptr(GHashTable) params = decode_query (query);
  const char *state;
  const char *error_code;
  const char *value;

  state = params ? g_hash_table_lookup (params, "state") : NULL;

  if (!ttd_secure_equal (state, expected_state))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The callback does not belong to this sign-in.");
      return FALSE;
    }

  error_code = g_hash_table_lookup (params, "error");
  if (error_code != NULL && *error_code != '\0')
    {
      g_autofree char *sentence = ttd_error_describe_tiktok (error_code,
                                                            g_hash_table_lookup (params, "error_description"));

      g_set_error_literal (error, TTD_ERROR, ttd_error_code_for_tiktok (error_code), sentence);
      return FALSE;
    }

  value = g_hash_table_lookup (params, "code");
  if (value == NULL || *value == '\0')
    {
      g_set_error_literal (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                           _("TikTok returned to the app without a sign-in code. Try signing in again."));
      return FALSE;
    }

  ttd_log_add_secret (value);
  *code = g_strdup (value);

  return TRUE;
}

/* Whether the request target (origin-form targets get the Host header's
 * host from libsoup) is this listener's own address. */
static gboolean
names_listener (TtdAuthFlow *self,
                GUri        *uri)
{
  return g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 &&
         g_strcmp0 (g_uri_get_host (uri), "127.0.0.1") == 0 &&
         g_uri_get_port (uri) == (gint) self->port &&
         g_uri_get_userinfo (uri) == NULL;
}

static void
callback_handler (SoupServer        *server,
                  SoupServerMessage *message,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  TtdAuthFlow *self = user_data;
  GUri *uri = soup_server_message_get_uri (message);
  const char *host = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                   "Host");
  g_autofree char *expected_host = g_strdup_printf ("127.0.0.1:%u", self->port);
  g_autoptr(GError) error = NULL;
  char *code = NULL;

  if (self->answered)
    {
      respond (message, SOUP_STATUS_GONE, _("Sign-in already finished"),
               _("This sign-in has already finished. You can close this tab."));
      return;
    }

  /* Exact path: libsoup matches handlers by prefix. */
  if (g_strcmp0 (path, CALLBACK_PATH) != 0)
    {
      respond (message, SOUP_STATUS_NOT_FOUND, _("Not found"),
               _("There is nothing here."));
      return;
    }

  if (g_strcmp0 (soup_server_message_get_method (message), SOUP_METHOD_GET) != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message), "Allow", "GET");
      respond (message, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Not allowed"),
               _("This address only answers the sign-in redirect."));
      return;
    }

  /* A web page using DNS rebinding would arrive with its own host name;
   * and a request naming another host in an absolute request target
   * (`GET http://evil.example/callback/?…`) was not meant for this
   * listener either, whatever its Host header says. */
  if (g_strcmp0 (host, expected_host) != 0 || !names_listener (self, uri))
    {
      respond (message, SOUP_STATUS_BAD_REQUEST, _("Wrong address"),
               _("This sign-in only answers at the address TikTok Drafts opened."));
      return;
    }

  if (!ttd_auth_parse_callback (g_uri_get_query (uri), self->state, &code, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
        {
          /* Not ours (stale tab, another page): refuse and keep waiting. */
          respond (message, SOUP_STATUS_BAD_REQUEST, _("Sign-in link not valid"),
                   _("This sign-in link is not the one TikTok Drafts is waiting for. Start the sign-in again from TikTok Drafts."));
          return;
        }

      respond (message, SOUP_STATUS_OK, _("Sign-in did not finish"),
               _("TikTok did not sign you in. Return to TikTok Drafts for details. You can close this tab."));
      self->failure = g_steal_pointer (&error);
    }
  else
    {
      respond (message, SOUP_STATUS_OK, _("Signed in to TikTok Drafts"),
               _("You can close this tab and return to TikTok Drafts."));
      self->code = code;
    }

  self->answered = TRUE;
  g_signal_connect_object (message, "finished", G_CALLBACK (answered_cb), self, 0);
}

/**
 * ttd_auth_flow_new_loopback:
 *
 * Starts listening on 127.0.0.1 on an ephemeral port (in the thread-default
 * main context) and prepares a desktop-platform authorize URL with a hex
 * PKCE challenge. The caller opens the URL, then waits.
 */
TtdAuthFlow *
ttd_auth_flow_new_loopback (const TtdConfig  *config,
                            GError          **error)
{
  g_autoptr(TtdAuthFlow) self = g_object_new (TTD_TYPE_AUTH_FLOW, NULL);
  g_autoptr(GError) local_error = NULL;
  GSList *uris;

  g_return_val_if_fail (config != NULL, NULL);

  self->encoding = TTD_PKCE_HEX;
  if (!make_secrets (self, error))
    return NULL;

  self->server = soup_server_new ("server-header", NULL, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &local_error))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_FAILED,
                   _("Could not open a local port for the sign-in (%s)."), local_error->message);
      return NULL;
    }

  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  soup_server_add_handler (self->server, NULL, callback_handler, self, NULL);
  self->redirect_uri = g_strdup_printf ("http://127.0.0.1:%u" CALLBACK_PATH, self->port);

  if (!build_authorize_uri (self, config, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * ttd_auth_flow_new_manual:
 * @redirect_uri: a registered redirect URI that shows the code to the user
 *
 * For apps registered with a web callback: no listener; the user pastes
 * the code. TikTok's web platform uses RFC 7636 base64url PKCE, unless the
 * redirect is a loopback address (desktop rule, hex).
 */
TtdAuthFlow *
ttd_auth_flow_new_manual (const TtdConfig  *config,
                          const char       *redirect_uri,
                          GError          **error)
{
  g_autoptr(TtdAuthFlow) self = g_object_new (TTD_TYPE_AUTH_FLOW, NULL);

  g_return_val_if_fail (config != NULL, NULL);

  if (!g_uri_is_valid (redirect_uri, G_URI_FLAGS_NONE, NULL))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   _("The redirect URI “%s” is not a valid web address."), redirect_uri);
      return NULL;
    }

  self->encoding = ttd_uri_is_loopback (redirect_uri) ? TTD_PKCE_HEX : TTD_PKCE_BASE64URL;
  self->redirect_uri = g_strdup (redirect_uri);

  if (!make_secrets (self, error) || !build_authorize_uri (self, config, error))
    return NULL;

  return g_steal_pointer (&self);
}

char *
ttd_auth_flow_dup_pending_json (TtdAuthFlow *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code_verifier");
  json_builder_add_string_value (builder, self->verifier);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, self->state);
  json_builder_set_member_name (builder, "redirect_uri");
  json_builder_add_string_value (builder, self->redirect_uri);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_int_value (builder, g_get_real_time () / G_USEC_PER_SEC);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

TtdAuthFlow *
ttd_auth_flow_new_from_pending (const char  *pending_json,
                                GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TtdAuthFlow) self = g_object_new (TTD_TYPE_AUTH_FLOW, NULL);
  JsonObject *object;
  gint64 age;

  if (pending_json == NULL ||
      (root = ttd_json_parse_bounded (pending_json, strlen (pending_json),
                                      TTD_JSON_KEYRING_MAX, NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    goto none;

  object = json_node_get_object (root);

  /* An abandoned sign-in's verifier and state are not kept alive: one
   * older than 15 minutes (or from the future) is refused. */
  age = g_get_real_time () / G_USEC_PER_SEC -
        json_object_get_int_member_with_default (object, "created_at", 0);
  if (age < -60 || age > TTD_AUTH_PENDING_MAX_AGE_SECONDS)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The sign-in was started more than %u minute ago and can no longer be finished. Run “tiktok-drafts-cli auth” again.",
                                "The sign-in was started more than %u minutes ago and can no longer be finished. Run “tiktok-drafts-cli auth” again.",
                                TTD_AUTH_PENDING_MAX_AGE_SECONDS / 60),
                   TTD_AUTH_PENDING_MAX_AGE_SECONDS / 60);
      return NULL;
    }

  self->verifier = g_strdup (json_object_get_string_member_with_default (object, "code_verifier", NULL));
  self->state = g_strdup (json_object_get_string_member_with_default (object, "state", NULL));
  self->redirect_uri = g_strdup (json_object_get_string_member_with_default (object, "redirect_uri", NULL));

  if (self->verifier == NULL || self->redirect_uri == NULL)
    goto none;

  ttd_log_add_secret (self->verifier);
  ttd_log_add_secret (self->state);

  return g_steal_pointer (&self);

none:
  g_set_error_literal (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED,
                       _("No sign-in is in progress. Run “tiktok-drafts-cli auth” first, then enter the code it leads to."));
  return NULL;
}

const char *
ttd_auth_flow_get_authorize_uri (TtdAuthFlow *self)
{
  g_return_val_if_fail (TTD_IS_AUTH_FLOW (self), NULL);

  return self->authorize_uri;
}

const char *
ttd_auth_flow_get_redirect_uri (TtdAuthFlow *self)
{
  g_return_val_if_fail (TTD_IS_AUTH_FLOW (self), NULL);

  return self->redirect_uri;
}

const char *
ttd_auth_flow_get_code_verifier (TtdAuthFlow *self)
{
  g_return_val_if_fail (TTD_IS_AUTH_FLOW (self), NULL);

  return self->verifier;
}

guint
ttd_auth_flow_get_port (TtdAuthFlow *self)
{
  g_return_val_if_fail (TTD_IS_AUTH_FLOW (self), 0);

  return self->port;
}

void
ttd_auth_flow_set_timeout (TtdAuthFlow *self,
                           guint        seconds)
{
  g_return_if_fail (TTD_IS_AUTH_FLOW (self));

  self->timeout_seconds = seconds;
}

/**
 * ttd_auth_flow_stop:
 *
 * Closes the listener (idempotent). A pending wait is not completed here;
 * cancel its #GCancellable for that.
 */
void
ttd_auth_flow_stop (TtdAuthFlow *self)
{
  g_return_if_fail (TTD_IS_AUTH_FLOW (self));

  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
}

static gboolean
timeout_cb (gpointer user_data)
{
  TtdAuthFlow *self = user_data;
  /* Whole minutes read better, but a timeout such as 90 s is said as it is. */
  gboolean minutes = self->timeout_seconds % 60 == 0;
  guint n = minutes ? self->timeout_seconds / 60 : self->timeout_seconds;

  g_clear_pointer (&self->timeout_source, g_source_unref);
  g_clear_error (&self->failure);
  g_set_error (&self->failure, TTD_ERROR, TTD_ERROR_TIMEOUT,
               minutes
               ? g_dngettext (GETTEXT_PACKAGE,
                              "The sign-in was not finished within %u minute. Start it again when you are ready.",
                              "The sign-in was not finished within %u minutes. Start it again when you are ready.",
                              n)
               : g_dngettext (GETTEXT_PACKAGE,
                              "The sign-in was not finished within %u second. Start it again when you are ready.",
                              "The sign-in was not finished within %u seconds. Start it again when you are ready.",
                              n),
               n);
  complete (self);

  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              TtdAuthFlow  *self)
{
  g_clear_error (&self->failure);
  g_set_error_literal (&self->failure, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _("The sign-in was cancelled."));
  complete (self);
}

/**
 * ttd_auth_flow_wait_async:
 *
 * Waits for the browser to come back to the loopback listener, for at most
 * the timeout (10 minutes by default).
 */
void
ttd_auth_flow_wait_async (TtdAuthFlow         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TTD_IS_AUTH_FLOW (self));
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ttd_auth_flow_wait_async);

  if (self->server == NULL)
    {
      g_task_return_new_error (task, TTD_ERROR, TTD_ERROR_FAILED,
                               _("This sign-in is not listening for the browser."));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    {
      ttd_auth_flow_stop (self);
      return;
    }

  self->task = g_steal_pointer (&task);

  self->timeout_source = g_timeout_source_new_seconds (self->timeout_seconds);
  g_source_set_callback (self->timeout_source, timeout_cb, self, NULL);
  g_source_attach (self->timeout_source, g_main_context_get_thread_default ());

  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (cancelled_cb), self, 0);
}

/**
 * ttd_auth_flow_wait_finish:
 *
 * Returns: (transfer full): the authorization code; free it with
 *   ttd_secure_free().
 */
char *
ttd_auth_flow_wait_finish (TtdAuthFlow   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
