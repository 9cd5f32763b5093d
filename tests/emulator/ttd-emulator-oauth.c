/* ttd-emulator-oauth.c — OAuth: authorize, token (code exchange and refresh) and revoke
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ttd-emulator-private.h"

#define CODE_TTL_US      (10 * 60 * G_USEC_PER_SEC)
#define MAX_REDIRECT_LEN 512

static const char * const all_scopes[] = {
  "user.info.basic", "user.info.profile", "user.info.stats",
  "video.list", "video.upload", "video.publish", NULL
};

void
emu_auth_code_free (gpointer data)
{
  AuthCode *code = data;

  g_free (code->client_key);
  g_free (code->redirect_uri);
  g_free (code->challenge);
  g_free (code->scopes);
  g_free (code->open_id);
  g_free (code);
}

void
emu_grant_free (gpointer data)
{
  Grant *grant = data;

  g_free (grant->access_token);
  g_free (grant->refresh_token);
  g_free (grant->client_key);
  g_free (grant->open_id);
  g_free (grant->scope);
  for (guint i = WINDOW_NONE + 1; i < N_WINDOWS; i++)
    g_array_unref (grant->windows[i]);
  g_free (grant);
}

/* Exact match against a registered pattern; "*" in the port position
 * matches any decimal port 1–65535 without leading zeros. */
static gboolean
redirect_matches (const char *pattern,
                  const char *uri)
{
  const char *star = strstr (pattern, ":*/");
  const char *p;
  gsize prefix_len;
  guint64 port = 0;
  guint digits = 0;

  if (star == NULL)
    return g_str_equal (pattern, uri);

  prefix_len = (gsize) (star - pattern) + 1;
  if (strncmp (pattern, uri, prefix_len) != 0)
    return FALSE;

  p = uri + prefix_len;
  if (*p == '0')
    return FALSE;
  while (g_ascii_isdigit (*p) && digits < 6)
    {
      port = port * 10 + (guint64) (*p - '0');
      p++;
      digits++;
    }
  if (digits == 0 || port < 1 || port > 65535)
    return FALSE;

  return g_str_equal (p, star + 2);
}

static gboolean
redirect_registered (Emulator   *self,
                     const char *uri)
{
  guint i;

  if (uri == NULL || *uri == '\0' || strlen (uri) >= MAX_REDIRECT_LEN ||
      strchr (uri, '?') != NULL || strchr (uri, '#') != NULL)
    return FALSE;

  for (i = 0; self->redirect_uris[i] != NULL; i++)
    {
      if (redirect_matches (self->redirect_uris[i], uri))
        return TRUE;
    }

  return FALSE;
}

static gboolean
redirect_is_desktop (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;

  return host != NULL && (g_str_equal (host, "127.0.0.1") ||
                          g_ascii_strcasecmp (host, "localhost") == 0);
}

static gboolean
challenge_well_formed (const char *challenge,
                       gboolean    hex)
{
  const char *p;

  if (challenge == NULL)
    return FALSE;

  if (hex)
    {
      if (strlen (challenge) != 64)
        return FALSE;
      for (p = challenge; *p != '\0'; p++)
        if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
          return FALSE;
      return TRUE;
    }

  if (strlen (challenge) != 43)
    return FALSE;
  for (p = challenge; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static void
redirect_with (SoupServerMessage *msg,
               const char        *redirect_uri,
               ...) G_GNUC_NULL_TERMINATED;

static void
redirect_with (SoupServerMessage *msg,
               const char        *redirect_uri,
               ...)
{
  GString *location = g_string_new (redirect_uri);
  g_autofree char *url = NULL;
  const char *name;
  gboolean first = TRUE;
  va_list args;

  va_start (args, redirect_uri);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        continue;
      g_string_append_c (location, first ? '?' : '&');
      g_string_append_uri_escaped (location, name, NULL, FALSE);
      g_string_append_c (location, '=');
      g_string_append_uri_escaped (location, value, NULL, FALSE);
      first = FALSE;
    }
  va_end (args);

  url = g_string_free (location, FALSE);
  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, url);
}

/* Demo mode's stand-in for TikTok's "which account?" screen: one button per
 * user the emulator knows, and a field for another name. Each submits the
 * same authorize request with emulator_user set. */
static void
send_account_chooser (Emulator          *self,
                      SoupServerMessage *msg,
                      GHashTable        *query)
{
  g_autoptr(GString) hidden = g_string_new (NULL);
  g_autoptr(GString) buttons = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;
  char *html;

  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *k = g_markup_escape_text (key, -1);
      g_autofree char *v = g_markup_escape_text (value, -1);

      if (!g_str_equal (key, "emulator_user") && !g_str_equal (key, "emulator_new_user"))
        g_string_append_printf (hidden, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", k, v);
    }

  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_autofree char *name = g_markup_escape_text (value, -1);

      g_string_append_printf (buttons, "<p><button name=\"emulator_user\" value=\"%s\">Continue as %s</button></p>",
                              name, name);
    }

  html = g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                          "<title>TikTok emulator: choose an account</title></head><body>"
                          "<h1>TikTok emulator</h1><p>Which demo account do you want to sign in with?</p>"
                          "<form method=\"get\" action=\"/v2/auth/authorize/\">%s%s"
                          "<p><label>Another account: <input name=\"emulator_new_user\" placeholder=\"Demo Brand\"></label> "
                          "<button>Continue</button></p></form></body></html>\n",
                          hidden->str, buttons->str);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, html, strlen (html));
}

void
emu_handle_authorize (Emulator          *self,
                      SoupServerMessage *msg,
                      GHashTable        *query,
                      Grant             *grant)
{
  const char *client_key = NULL, *response_type = NULL, *scope = NULL;
  const char *redirect_uri = NULL, *state = NULL, *challenge = NULL, *method = NULL;
  g_auto(GStrv) scopes = NULL;
  gboolean hex;
  AuthCode *code;
  g_autofree char *code_text = NULL;
  g_autofree char *random = NULL;
  g_autofree char *suffix = NULL;
  guint i;

  if (query != NULL)
    {
      client_key = g_hash_table_lookup (query, "client_key");
      response_type = g_hash_table_lookup (query, "response_type");
      scope = g_hash_table_lookup (query, "scope");
      redirect_uri = g_hash_table_lookup (query, "redirect_uri");
      state = g_hash_table_lookup (query, "state");
      challenge = g_hash_table_lookup (query, "code_challenge");
      method = g_hash_table_lookup (query, "code_challenge_method");
    }

  if (client_key == NULL || !g_str_equal (client_key, self->client_key))
    {
      emu_send_html_error (msg, SOUP_STATUS_BAD_REQUEST,
                           "client_key: the app is not registered (invalid client_key).");
      return;
    }

  if (!redirect_registered (self, redirect_uri))
    {
      emu_send_html_error (msg, SOUP_STATUS_BAD_REQUEST,
                           "redirect_uri: the redirect URI is missing or not registered for this app.");
      return;
    }

  if (state == NULL || *state == '\0')
    {
      redirect_with (msg, redirect_uri, "error", "invalid_request",
                     "error_description", "state is required.", NULL);
      return;
    }

  if (g_strcmp0 (response_type, "code") != 0)
    {
      redirect_with (msg, redirect_uri, "error", "unsupported_response_type",
                     "error_description", "response_type must be code.",
                     "state", state, NULL);
      return;
    }

  if (scope == NULL || *scope == '\0')
    {
      redirect_with (msg, redirect_uri, "error", "invalid_scope",
                     "error_description", "scope is required.", "state", state, NULL);
      return;
    }

  scopes = g_strsplit (scope, ",", -1);
  for (i = 0; scopes[i] != NULL; i++)
    {
      if (!g_strv_contains (all_scopes, scopes[i]))
        {
          redirect_with (msg, redirect_uri, "error", "invalid_scope",
                         "error_description", "The scope is invalid.", "state", state, NULL);
          return;
        }
    }

  if (g_strcmp0 (method, "S256") != 0)
    {
      redirect_with (msg, redirect_uri, "error", "invalid_request",
                     "error_description", "code_challenge_method must be S256.",
                     "state", state, NULL);
      return;
    }

  hex = redirect_is_desktop (redirect_uri);
  if (!challenge_well_formed (challenge, hex))
    {
      redirect_with (msg, redirect_uri, "error", "invalid_request",
                     "error_description", DESC_BAD_PKCE, "state", state, NULL);
      return;
    }

  if (emu_take_fault (self, "deny-authorize"))
    {
      redirect_with (msg, redirect_uri, "error", "access_denied",
                     "error_description", "The user denied the authorization request.",
                     "state", state, NULL);
      return;
    }

  if (self->choose_account)
    {
      const char *chosen = g_hash_table_lookup (query, "emulator_user");

      /* The button pressed, or else the name typed. */
      if (chosen == NULL || *chosen == '\0')
        chosen = g_hash_table_lookup (query, "emulator_new_user");

      if (chosen == NULL || *chosen == '\0' || !g_utf8_validate (chosen, -1, NULL))
        {
          send_account_chooser (self, msg, query);
          return;
        }
      emu_sign_in_browser_user (self, chosen);
    }

  random = emu_random_b64url (36);
  suffix = emu_random_digits (4);
  code_text = g_strdup_printf ("%s*0!%s", random, suffix);

  code = g_new0 (AuthCode, 1);
  code->client_key = g_strdup (client_key);
  code->redirect_uri = g_strdup (redirect_uri);
  code->challenge = g_strdup (challenge);
  code->hex_challenge = hex;
  code->scopes = g_strdup (scope);
  code->open_id = g_strdup (self->open_id);
  code->expires_at = g_get_monotonic_time () + CODE_TTL_US;
  g_hash_table_insert (self->codes, g_strdup (code_text), code);

  redirect_with (msg, redirect_uri, "code", code_text, "scopes", scope,
                 "state", state, NULL);
}

static gboolean
verifier_matches (const char *verifier,
                  AuthCode   *code)
{
  gsize len = verifier != NULL ? strlen (verifier) : 0;
  const char *p;

  if (len < 43 || len > 128)
    return FALSE;
  for (p = verifier; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._~", *p) == NULL)
      return FALSE;

  if (code->hex_challenge)
    {
      g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, verifier, -1);

      return g_str_equal (hex, code->challenge);
    }
  else
    {
      g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      guint8 digest[32];
      gsize digest_len = sizeof digest;
      g_autofree char *b64 = NULL;

      g_checksum_update (sum, (const guchar *) verifier, (gssize) len);
      g_checksum_get_digest (sum, digest, &digest_len);
      b64 = emu_base64url_encode (digest, digest_len);
      return g_str_equal (b64, code->challenge);
    }
}

Grant *
emu_issue_grant (Emulator   *self,
                 const char *client_key,
                 const char *open_id,
                 const char *scope)
{
  Grant *grant = g_new0 (Grant, 1);
  g_autofree char *access = emu_random_b64url (48);
  g_autofree char *refresh = emu_random_b64url (48);
  gint64 now = g_get_monotonic_time ();

  grant->access_token = g_strconcat ("act.", access, "!4815.va", NULL);
  grant->refresh_token = g_strconcat ("rft.", refresh, "!5121.va", NULL);
  grant->client_key = g_strdup (client_key);
  grant->open_id = g_strdup (open_id);
  grant->scope = g_strdup (scope);
  grant->access_expires_at = now + self->access_ttl * G_USEC_PER_SEC;
  grant->refresh_expires_at = now + self->refresh_ttl * G_USEC_PER_SEC;
  for (guint i = WINDOW_NONE + 1; i < N_WINDOWS; i++)
    grant->windows[i] = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_hash_table_insert (self->grants_by_access, grant->access_token, grant);
  g_hash_table_insert (self->grants_by_refresh, grant->refresh_token, grant);
  return grant;
}

static void
drop_grant (Emulator *self,
            Grant    *grant)
{
  g_hash_table_remove (self->grants_by_access, grant->access_token);
  g_hash_table_remove (self->grants_by_refresh, grant->refresh_token); /* frees */
}

static void
send_grant (Emulator          *self,
            SoupServerMessage *msg,
            Grant             *grant)
{
  g_autoptr(JsonObject) root = json_object_new ();

  json_object_set_string_member (root, "access_token", grant->access_token);
  json_object_set_int_member (root, "expires_in", self->access_ttl);
  json_object_set_string_member (root, "open_id", grant->open_id);
  json_object_set_int_member (root, "refresh_expires_in", self->refresh_ttl);
  json_object_set_string_member (root, "refresh_token", grant->refresh_token);
  json_object_set_string_member (root, "scope", grant->scope);
  json_object_set_string_member (root, "token_type", "Bearer");
  emu_send_json_object (msg, SOUP_STATUS_OK, root);
}

/* Shared by token and revoke: form decoding and client authentication.
 * Returns the form (caller unrefs) or NULL after answering. */
static GHashTable *
read_client_form (Emulator          *self,
                  SoupServerMessage *msg)
{
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) form = NULL;
  const char *client_key, *client_secret;
  gsize len = 0;

  if (!emu_content_type_is (msg, "application/x-www-form-urlencoded", TRUE))
    {
      emu_send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", DESC_MALFORMED);
      return NULL;
    }

  text = emu_request_body_text (msg, &len);
  if (strlen (text) != len)
    {
      emu_send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", DESC_MALFORMED);
      return NULL;
    }
  form = soup_form_decode (text);

  client_key = g_hash_table_lookup (form, "client_key");
  client_secret = g_hash_table_lookup (form, "client_secret");
  if (client_key == NULL || !g_str_equal (client_key, self->client_key))
    {
      emu_send_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                            "Client key is invalid.");
      return NULL;
    }
  if (client_secret == NULL || *client_secret == '\0')
    {
      emu_send_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                            "Client secret is missed in request.");
      return NULL;
    }
  if (!g_str_equal (client_secret, self->client_secret))
    {
      emu_send_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                            "Client secret is invalid.");
      return NULL;
    }

  return g_steal_pointer (&form);
}

static void
token_authorization_code (Emulator          *self,
                          SoupServerMessage *msg,
                          GHashTable        *form)
{
  const char *code_text = g_hash_table_lookup (form, "code");
  const char *redirect_uri = g_hash_table_lookup (form, "redirect_uri");
  const char *verifier = g_hash_table_lookup (form, "code_verifier");
  AuthCode *code;
  Grant *grant;

  self->counts[COUNT_TOKEN_EXCHANGES]++;

  if (code_text == NULL || *code_text == '\0')
    {
      emu_send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                            "Code is missed in request.");
      return;
    }

  code = g_hash_table_lookup (self->codes, code_text);
  if (code == NULL || code->used || code->expires_at <= g_get_monotonic_time () ||
      !g_str_equal (code->client_key, g_hash_table_lookup (form, "client_key")))
    {
      /* TikTok answers invalid_grant with HTTP 200. */
      emu_send_oauth_error (msg, SOUP_STATUS_OK, "invalid_grant",
                            "Authorization code is expired.");
      return;
    }

  if (redirect_uri == NULL || !g_str_equal (redirect_uri, code->redirect_uri))
    {
      emu_send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                            "Redirect_uri is not matched with the uri when requesting code.");
      return;
    }

  if (!verifier_matches (verifier, code))
    {
      emu_send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", DESC_BAD_PKCE);
      return;
    }

  code->used = TRUE;
  grant = emu_issue_grant (self, code->client_key, code->open_id, code->scopes);
  send_grant (self, msg, grant);
}

static void
token_refresh (Emulator          *self,
               SoupServerMessage *msg,
               GHashTable        *form)
{
  const char *refresh = g_hash_table_lookup (form, "refresh_token");
  g_autofree char *client_key = NULL, *open_id = NULL, *scope = NULL;
  Grant *old, *grant;

  self->counts[COUNT_REFRESHES]++;

  if (refresh == NULL || *refresh == '\0')
    {
      emu_send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                            "Refresh token is missed in request.");
      return;
    }

  old = g_hash_table_lookup (self->grants_by_refresh, refresh);
  if (emu_take_fault (self, "invalid-grant") || old == NULL ||
      old->refresh_expires_at <= g_get_monotonic_time () ||
      !g_str_equal (old->client_key, g_hash_table_lookup (form, "client_key")))
    {
      emu_send_oauth_error (msg, SOUP_STATUS_OK, "invalid_grant",
                            "Refresh token is invalid or expired.");
      return;
    }

  /* Rotation: the old refresh token and its access token stop working. */
  client_key = g_strdup (old->client_key);
  open_id = g_strdup (old->open_id);
  scope = g_strdup (old->scope);
  drop_grant (self, old);
  grant = emu_issue_grant (self, client_key, open_id, scope);
  send_grant (self, msg, grant);
}

void
emu_handle_token (Emulator          *self,
                  SoupServerMessage *msg,
                  GHashTable        *query,
                  Grant             *grant)
{
  g_autoptr(GHashTable) form = read_client_form (self, msg);
  const char *grant_type;

  if (form == NULL)
    return;

  grant_type = g_hash_table_lookup (form, "grant_type");
  if (grant_type == NULL || *grant_type == '\0')
    emu_send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                          "Grant type is missed in request.");
  else if (g_str_equal (grant_type, "authorization_code"))
    token_authorization_code (self, msg, form);
  else if (g_str_equal (grant_type, "refresh_token"))
    token_refresh (self, msg, form);
  else
    emu_send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                          "The grant type is not supported.");
}

void
emu_handle_revoke (Emulator          *self,
                   SoupServerMessage *msg,
                   GHashTable        *query,
                   Grant             *grant)
{
  g_autoptr(GHashTable) form = read_client_form (self, msg);
  g_autoptr(JsonObject) empty = json_object_new ();
  const char *token;
  Grant *revoked;

  if (form == NULL)
    return;

  token = g_hash_table_lookup (form, "token");
  if (token == NULL || *token == '\0')
    {
      emu_send_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                            "Token is missed in request.");
      return;
    }

  revoked = g_hash_table_lookup (self->grants_by_access, token);
  if (revoked != NULL &&
      g_str_equal (revoked->client_key, g_hash_table_lookup (form, "client_key")))
    drop_grant (self, revoked);

  emu_send_json_object (msg, SOUP_STATUS_OK, empty);
}
