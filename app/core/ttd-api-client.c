/* ttd-api-client.c — TikTok's Login Kit and Content Posting endpoints
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ttd-api-client.h"
#include "ttd-error.h"
#include "ttd-http.h"
#include "ttd-json.h"
#include "ttd-log.h"
#include "ttd-secure.h"

#define PATH_TOKEN        "/v2/oauth/token/"
#define PATH_REVOKE       "/v2/oauth/revoke/"
#define PATH_USER_INFO    "/v2/user/info/"
#define PATH_INBOX_INIT   "/v2/post/publish/inbox/video/init/"
#define PATH_CONTENT_INIT "/v2/post/publish/content/init/"
#define PATH_STATUS       "/v2/post/publish/status/fetch/"
#define USER_INFO_FIELDS  "open_id,union_id,avatar_url,display_name"
#define JSON_CONTENT_TYPE "application/json; charset=UTF-8"

struct _TtdApiClient
{
  GObject      parent_instance;
  TtdConfig   *config;
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (TtdApiClient, ttd_api_client, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (TtdUserInfo, ttd_user_info, ttd_user_info_copy, ttd_user_info_free)
G_DEFINE_BOXED_TYPE (TtdPublishStatus, ttd_publish_status, ttd_publish_status_copy, ttd_publish_status_free)

TtdUserInfo *
ttd_user_info_copy (const TtdUserInfo *self)
{
  TtdUserInfo *copy = g_new0 (TtdUserInfo, 1);

  copy->open_id = g_strdup (self->open_id);
  copy->union_id = g_strdup (self->union_id);
  copy->display_name = g_strdup (self->display_name);
  copy->avatar_url = g_strdup (self->avatar_url);

  return copy;
}

void
ttd_user_info_free (TtdUserInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->open_id);
  g_free (self->union_id);
  g_free (self->display_name);
  g_free (self->avatar_url);
  g_free (self);
}

TtdPublishStatus *
ttd_publish_status_copy (const TtdPublishStatus *self)
{
  TtdPublishStatus *copy = g_new0 (TtdPublishStatus, 1);

  copy->status = g_strdup (self->status);
  copy->fail_reason = g_strdup (self->fail_reason);
  copy->uploaded_bytes = self->uploaded_bytes;
  copy->downloaded_bytes = self->downloaded_bytes;

  return copy;
}

void
ttd_publish_status_free (TtdPublishStatus *self)
{
  if (self == NULL)
    return;

  g_free (self->status);
  g_free (self->fail_reason);
  g_free (self);
}

/* For a draft, SEND_TO_USER_INBOX is success; PUBLISH_COMPLETE only comes
 * after the user posted it in the app (tiktok-api.md §7.1). */
gboolean
ttd_publish_status_is_final (const TtdPublishStatus *self)
{
  return g_strcmp0 (self->status, TTD_STATUS_SEND_TO_USER_INBOX) == 0 ||
         g_strcmp0 (self->status, TTD_STATUS_PUBLISH_COMPLETE) == 0 ||
         g_strcmp0 (self->status, TTD_STATUS_FAILED) == 0;
}

static void
ttd_api_client_finalize (GObject *object)
{
  TtdApiClient *self = TTD_API_CLIENT (object);

  g_clear_pointer (&self->config, ttd_config_free);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (ttd_api_client_parent_class)->finalize (object);
}

static void
ttd_api_client_class_init (TtdApiClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ttd_api_client_finalize;
}

static void
ttd_api_client_init (TtdApiClient *self)
{
  /* No SoupLogger, ever: it prints Authorization headers verbatim. */
  self->session = soup_session_new_with_options ("user-agent", "TikTokDrafts/" PACKAGE_VERSION " ",
                                                 "timeout", 120,
                                                 "idle-timeout", 60,
                                                 NULL);
}

/**
 * ttd_api_client_new:
 * @config: where to reach TikTok and with which app credentials
 *
 * Returns: (transfer full): a client with its own #SoupSession.
 */
TtdApiClient *
ttd_api_client_new (const TtdConfig *config)
{
  TtdApiClient *self = g_object_new (TTD_TYPE_API_CLIENT, NULL);

  self->config = ttd_config_copy (config);
  ttd_log_add_secret (self->config->client_secret);

  return self;
}

const TtdConfig *
ttd_api_client_get_config (TtdApiClient *self)
{
  g_return_val_if_fail (TTD_IS_API_CLIENT (self), NULL);

  return self->config;
}

SoupSession *
ttd_api_client_get_session (TtdApiClient *self)
{
  g_return_val_if_fail (TTD_IS_API_CLIENT (self), NULL);

  return self->session;
}

void
ttd_api_set_network_error (GError **error,
                           GError  *cause)
{
  if (cause->domain == G_IO_ERROR && cause->code == G_IO_ERROR_CANCELLED)
    {
      g_propagate_error (error, cause);
      return;
    }

  if (cause->domain == G_IO_ERROR && cause->code == G_IO_ERROR_TIMED_OUT)
    g_set_error (error, TTD_ERROR, TTD_ERROR_NETWORK,
                 _("TikTok did not answer in time. Check your internet connection and try again."));
  else
    g_set_error (error, TTD_ERROR, TTD_ERROR_NETWORK,
                 _("Could not reach TikTok (%s). Check your internet connection and try again."),
                 cause->message);
  g_error_free (cause);
}

/* Whatever TikTok sends is bounded before parsing, and its text is cleaned
 * of control characters before anything can show it. */
static JsonNode *
parse_json (GBytes *body)
{
  JsonNode *root;
  gsize size = 0;
  const char *data;

  if (body == NULL)
    return NULL;

  data = g_bytes_get_data (body, &size);
  root = ttd_json_parse_bounded (data, size, TTD_HTTP_MAX_ANSWER, NULL);
  if (root != NULL)
    ttd_json_clean_strings (root);

  return root;
}

static gboolean
is_blank (GBytes *body)
{
  gsize size = 0;
  const guint8 *data = body ? g_bytes_get_data (body, &size) : NULL;

  for (gsize i = 0; i < size; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;

  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gint64
member_int (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node))
    return 0;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      /* Converting an out-of-range double is undefined behaviour. */
      if (value > -9223372036854775808.0 && value < 9223372036854775808.0)
        return (gint64) value;
    }

  return 0;
}

static void
set_http_error (GError **error,
                guint    http_status)
{
  if (http_status == 429)
    g_set_error (error, TTD_ERROR, TTD_ERROR_RATE_LIMITED,
                 _("TikTok is limiting how often drafts can be sent. Wait a minute and try again."));
  else if (http_status >= 500)
    g_set_error (error, TTD_ERROR, TTD_ERROR_SERVER,
                 _("TikTok had a temporary problem (HTTP %u). Try again in a moment."), http_status);
  else if (http_status == 401)
    g_set_error (error, TTD_ERROR, TTD_ERROR_TOKEN_INVALID,
                 _("Your TikTok sign-in has expired. Sign in again."));
  else
    g_set_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                 _("TikTok sent an answer TikTok Drafts does not understand (HTTP %u). Try again later."),
                 http_status);
}

/**
 * ttd_api_parse_envelope:
 * @http_status: the response's status code
 * @body: the response body
 *
 * Decides by `error.code` in the body first and the HTTP status second,
 * since TikTok sends some errors with 200.
 *
 * Returns: (transfer full): the `data` object on success.
 */
JsonObject *
ttd_api_parse_envelope (guint    http_status,
                        GBytes  *body,
                        GError **error)
{
  g_autoptr(JsonNode) root = parse_json (body);
  JsonObject *object;
  JsonObject *error_object = NULL;
  JsonNode *data;
  const char *code;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_http_error (error, http_status);
      return NULL;
    }

  object = json_node_get_object (root);
  if (json_object_has_member (object, "error") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
    error_object = json_object_get_object_member (object, "error");

  code = member_string (error_object, "code");
  if (code == NULL)
    {
      set_http_error (error, http_status);
      return NULL;
    }

  if (!g_str_equal (code, "ok"))
    {
      g_autofree char *sentence = ttd_error_describe_tiktok (code, member_string (error_object, "message"));

      ttd_set_tiktok_error (error, ttd_error_code_for_tiktok (code),
                            member_string (error_object, "log_id"), "%s", sentence);
      return NULL;
    }

  if (http_status < 200 || http_status >= 300)
    {
      set_http_error (error, http_status);
      return NULL;
    }

  data = json_object_get_member (object, "data");
  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return json_object_new ();

  return json_object_ref (json_node_get_object (data));
}

/**
 * ttd_api_parse_oauth:
 *
 * The OAuth endpoints answer flat JSON: success is the presence of
 * `access_token` (or an empty object for revoke) and no `error`, whatever
 * the HTTP status (TikTok sends `invalid_grant` with 200).
 *
 * Returns: (transfer full): the whole object on success.
 */
JsonObject *
ttd_api_parse_oauth (guint    http_status,
                     GBytes  *body,
                     GError **error)
{
  g_autoptr(JsonNode) root = parse_json (body);
  JsonObject *object;
  const char *code;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      /* revoke may answer with an empty (or blank) body */
      if (http_status >= 200 && http_status < 300 && is_blank (body))
        return json_object_new ();

      set_http_error (error, http_status);
      return NULL;
    }

  object = json_node_get_object (root);
  code = member_string (object, "error");

  /* Some gateways wrap OAuth errors in the v2 envelope. */
  if (code == NULL && json_object_has_member (object, "error") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
    {
      JsonObject *inner = json_object_get_object_member (object, "error");
      const char *inner_code = member_string (inner, "code");

      if (inner_code != NULL && !g_str_equal (inner_code, "ok"))
        {
          g_autofree char *sentence = ttd_error_describe_tiktok (inner_code, member_string (inner, "message"));

          ttd_set_tiktok_error (error, ttd_error_code_for_tiktok (inner_code),
                                member_string (inner, "log_id"), "%s", sentence);
          return NULL;
        }
    }

  if (code != NULL && *code != '\0')
    {
      g_autofree char *sentence = ttd_error_describe_tiktok (code, member_string (object, "error_description"));

      ttd_set_tiktok_error (error, ttd_error_code_for_tiktok (code),
                            member_string (object, "log_id"), "%s", sentence);
      return NULL;
    }

  if (http_status < 200 || http_status >= 300)
    {
      set_http_error (error, http_status);
      return NULL;
    }

  return json_object_ref (object);
}

TtdUserInfo *
ttd_api_parse_user_info (JsonObject  *data,
                         GError     **error)
{
  JsonObject *user = NULL;
  TtdUserInfo *info;

  if (json_object_has_member (data, "user") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (data, "user")))
    user = json_object_get_object_member (data, "user");

  if (user == NULL || member_string (user, "open_id") == NULL)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                   _("TikTok's account details were incomplete. Try again later."));
      return NULL;
    }

  info = g_new0 (TtdUserInfo, 1);
  info->open_id = g_strdup (member_string (user, "open_id"));
  info->union_id = g_strdup (member_string (user, "union_id"));
  info->display_name = g_strdup (member_string (user, "display_name"));
  info->avatar_url = g_strdup (member_string (user, "avatar_url"));

  return info;
}

TtdPublishStatus *
ttd_api_parse_publish_status (JsonObject  *data,
                              GError     **error)
{
  TtdPublishStatus *status;

  if (member_string (data, "status") == NULL)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                   _("TikTok's status answer had no status. Try again later."));
      return NULL;
    }

  status = g_new0 (TtdPublishStatus, 1);
  status->status = g_strdup (member_string (data, "status"));
  status->fail_reason = g_strdup (member_string (data, "fail_reason"));
  status->uploaded_bytes = member_int (data, "uploaded_bytes");
  status->downloaded_bytes = member_int (data, "downloaded_bytes");

  return status;
}

/* Every request to TikTok's API: https (or this computer), no redirects. */
static SoupMessage *
new_message (TtdApiClient  *self,
             const char    *method,
             const char    *path_and_query,
             GError       **error)
{
  g_autofree char *url = NULL;

  if (!ttd_check_base_uri (_("TikTok API address"), self->config->api_base, error))
    return NULL;

  url = ttd_config_build_url (self->config, path_and_query);

  return ttd_http_message_new (_("TikTok API address"), method, url, error);
}

/* Sends and reads the whole (small) answer. */
static GBytes *
send_message (TtdApiClient  *self,
              SoupMessage   *message,
              GCancellable  *cancellable,
              GError       **error)
{
  GError *local_error = NULL;
  GBytes *body;

  body = ttd_http_send_and_read (self->session, message, _("TikTok API address"),
                                 TTD_HTTP_MAX_ANSWER, cancellable, &local_error);
  if (body == NULL)
    {
      if (local_error->domain == TTD_ERROR)
        g_propagate_error (error, local_error);
      else
        ttd_api_set_network_error (error, local_error);
      return NULL;
    }

  g_debug ("%s %s → %u",
           soup_message_get_method (message),
           g_uri_get_path (soup_message_get_uri (message)),
           soup_message_get_status (message));

  return body;
}

static JsonObject *
post_form (TtdApiClient  *self,
           const char    *path,
           char          *encoded_form,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) form = g_bytes_new_take (encoded_form, strlen (encoded_form));

  message = new_message (self, SOUP_METHOD_POST, path, error);
  if (message == NULL)
    return NULL;

  soup_message_set_request_body_from_bytes (message, SOUP_FORM_MIME_TYPE_URLENCODED, form);
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Cache-Control", "no-cache");

  body = send_message (self, message, cancellable, error);
  if (body == NULL)
    return NULL;

  return ttd_api_parse_oauth (soup_message_get_status (message), body, error);
}

static JsonObject *
call_api (TtdApiClient  *self,
          const char    *method,
          const char    *path_and_query,
          const char    *access_token,
          JsonBuilder   *request,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autofree char *authorization = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;

  message = new_message (self, method, path_and_query, error);
  if (message == NULL)
    return NULL;

  authorization = g_strconcat ("Bearer ", access_token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Authorization", authorization);
  ttd_secure_clear (&authorization);

  if (request != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = json_builder_get_root (request);
      g_autoptr(GBytes) json = NULL;
      gsize length = 0;
      char *text;

      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, &length);
      json = g_bytes_new_take (text, length);
      soup_message_set_request_body_from_bytes (message, JSON_CONTENT_TYPE, json);
    }

  body = send_message (self, message, cancellable, error);
  if (body == NULL)
    return NULL;

  return ttd_api_parse_envelope (soup_message_get_status (message), body, error);
}

static TtdTokens *
token_request (TtdApiClient  *self,
               char          *encoded_form,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(JsonObject) object = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  object = post_form (self, PATH_TOKEN, encoded_form, cancellable, error);
  if (object == NULL)
    return NULL;

  return ttd_tokens_new_from_response (object, now, error);
}

TtdTokens *
ttd_api_client_exchange_code (TtdApiClient  *self,
                              const char    *code,
                              const char    *redirect_uri,
                              const char    *code_verifier,
                              GCancellable  *cancellable,
                              GError       **error)
{
  char *form;

  g_return_val_if_fail (TTD_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (code != NULL && redirect_uri != NULL, NULL);

  ttd_log_add_secret (code);
  ttd_log_add_secret (code_verifier);

  form = soup_form_encode ("client_key", self->config->client_key,
                           "client_secret", self->config->client_secret,
                           "code", code,
                           "grant_type", "authorization_code",
                           "redirect_uri", redirect_uri,
                           code_verifier ? "code_verifier" : NULL, code_verifier,
                           NULL);

  return token_request (self, form, cancellable, error);
}

TtdTokens *
ttd_api_client_refresh (TtdApiClient  *self,
                        const char    *refresh_token,
                        GCancellable  *cancellable,
                        GError       **error)
{
  char *form;

  g_return_val_if_fail (TTD_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (refresh_token != NULL, NULL);

  form = soup_form_encode ("client_key", self->config->client_key,
                           "client_secret", self->config->client_secret,
                           "grant_type", "refresh_token",
                           "refresh_token", refresh_token,
                           NULL);

  return token_request (self, form, cancellable, error);
}

gboolean
ttd_api_client_revoke (TtdApiClient  *self,
                       const char    *access_token,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(JsonObject) object = NULL;
  char *form;

  g_return_val_if_fail (TTD_IS_API_CLIENT (self), FALSE);

  form = soup_form_encode ("client_key", self->config->client_key,
                           "client_secret", self->config->client_secret,
                           "token", access_token,
                           NULL);
  object = post_form (self, PATH_REVOKE, form, cancellable, error);

  return object != NULL;
}

TtdUserInfo *
ttd_api_client_fetch_user_info (TtdApiClient  *self,
                                const char    *access_token,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(JsonObject) data = NULL;

  g_return_val_if_fail (TTD_IS_API_CLIENT (self), NULL);

  data = call_api (self, SOUP_METHOD_GET, PATH_USER_INFO "?fields=" USER_INFO_FIELDS,
                   access_token, NULL, cancellable, error);
  if (data == NULL)
    return NULL;

  return ttd_api_parse_user_info (data, error);
}

gboolean
ttd_api_client_init_inbox_video (TtdApiClient  *self,
                                 const char    *access_token,
                                 gint64         video_size,
                                 gint64         chunk_size,
                                 gint64         total_chunk_count,
                                 char         **publish_id,
                                 char         **upload_url,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonObject) data = NULL;
  const char *id;
  const char *url;

  g_return_val_if_fail (TTD_IS_API_CLIENT (self), FALSE);

  /* The draft endpoint takes source_info only: no caption, no privacy. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source_info");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, "FILE_UPLOAD");
  json_builder_set_member_name (builder, "video_size");
  json_builder_add_int_value (builder, video_size);
  json_builder_set_member_name (builder, "chunk_size");
  json_builder_add_int_value (builder, chunk_size);
  json_builder_set_member_name (builder, "total_chunk_count");
  json_builder_add_int_value (builder, total_chunk_count);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  data = call_api (self, SOUP_METHOD_POST, PATH_INBOX_INIT, access_token, builder,
                   cancellable, error);
  if (data == NULL)
    return FALSE;

  id = member_string (data, "publish_id");
  url = member_string (data, "upload_url");
  if (id == NULL || url == NULL || !g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                   _("TikTok did not say where to upload the video. Try again later."));
      return FALSE;
    }

  if (!ttd_config_url_is_secure (url))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                   _("TikTok gave an upload address without https, so the video was not sent. Try again later."));
      return FALSE;
    }

  ttd_log_add_secret (url);
  *publish_id = g_strdup (id);
  *upload_url = g_strdup (url);

  return TRUE;
}

/**
 * ttd_api_client_init_photo_draft:
 *
 * Starts a photo slideshow draft: always `post_mode` MEDIA_UPLOAD (the
 * inbox), never a direct post.
 *
 * Returns: (transfer full): the publish ID.
 */
char *
ttd_api_client_init_photo_draft (TtdApiClient        *self,
                                 const char          *access_token,
                                 const char          *title,
                                 const char          *description,
                                 const char * const  *image_urls,
                                 guint                cover_index,
                                 GCancellable        *cancellable,
                                 GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonObject) data = NULL;
  const char *id;

  g_return_val_if_fail (TTD_IS_API_CLIENT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "media_type");
  json_builder_add_string_value (builder, "PHOTO");
  json_builder_set_member_name (builder, "post_mode");
  json_builder_add_string_value (builder, "MEDIA_UPLOAD");
  json_builder_set_member_name (builder, "post_info");
  json_builder_begin_object (builder);
  if (title != NULL && *title != '\0')
    {
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, title);
    }
  if (description != NULL && *description != '\0')
    {
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, description);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "source_info");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, "PULL_FROM_URL");
  json_builder_set_member_name (builder, "photo_cover_index");
  json_builder_add_int_value (builder, cover_index);
  json_builder_set_member_name (builder, "photo_images");
  json_builder_begin_array (builder);
  for (guint i = 0; image_urls[i] != NULL; i++)
    json_builder_add_string_value (builder, image_urls[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  data = call_api (self, SOUP_METHOD_POST, PATH_CONTENT_INIT, access_token, builder,
                   cancellable, error);
  if (data == NULL)
    return NULL;

  id = member_string (data, "publish_id");
  if (id == NULL)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                   _("TikTok did not return an ID for the slideshow. Try again later."));
      return NULL;
    }

  return g_strdup (id);
}

TtdPublishStatus *
ttd_api_client_fetch_status (TtdApiClient  *self,
                             const char    *access_token,
                             const char    *publish_id,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonObject) data = NULL;

  g_return_val_if_fail (TTD_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (publish_id != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "publish_id");
  json_builder_add_string_value (builder, publish_id);
  json_builder_end_object (builder);

  data = call_api (self, SOUP_METHOD_POST, PATH_STATUS, access_token, builder,
                   cancellable, error);
  if (data == NULL)
    return NULL;

  return ttd_api_parse_publish_status (data, error);
}
