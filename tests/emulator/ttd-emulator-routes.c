/* ttd-emulator-routes.c — the one table of routes, and the one guard every
 * request to them passes
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The upload PUTs (/upload/video/) are the only requests outside the table:
 * they carry an upload token instead of an access token, and their bodies
 * are checked while they stream in (ttd-emulator-video.c).
 */

#include "ttd-emulator-private.h"

typedef enum
{
  ROUTE_PUBLIC = 0,             /* no access token: OAuth and control */
  ROUTE_API = 1 << 0,           /* Bearer token, scope, fault, rate limit */
  ROUTE_DIRECT_POST = 1 << 1,   /* recorded as a direct-post attempt first */
  ROUTE_RATE_FAULT = 1 << 2,    /* the "rate-limit" fault hits here */
} RouteFlags;

typedef struct
{
  const char   *path;
  const char   *method;         /* NULL: any method */
  RouteHandler *handler;
  RouteFlags    flags;
  const char   *scopes[3];      /* any one of them will do; none: the handler checks */
  Count         count;          /* counted once the method is right */
  const char   *fault;          /* armed one-shot fault answered 500 */
  RateWindow    window;         /* sliding one-minute window per token */
  guint         limit;          /* requests admitted per window */
} Route;

static const Route routes[] = {
  { "/v2/auth/authorize/", "GET", emu_handle_authorize, ROUTE_PUBLIC,
    .count = COUNT_AUTHORIZE },
  { "/v2/oauth/token/", "POST", emu_handle_token, ROUTE_PUBLIC },
  { "/v2/oauth/revoke/", "POST", emu_handle_revoke, ROUTE_PUBLIC,
    .count = COUNT_REVOKES },
  { "/v2/user/info/", "GET", emu_handle_user_info, ROUTE_API,
    .scopes = { "user.info.basic" }, .count = COUNT_USER_INFO,
    .window = WINDOW_USER_INFO, .limit = USER_INFO_LIMIT },
  { "/v2/post/publish/inbox/video/init/", "POST", emu_handle_video_init,
    ROUTE_API | ROUTE_RATE_FAULT,
    .scopes = { "video.upload" }, .count = COUNT_VIDEO_INITS, .fault = "init-5xx",
    .window = WINDOW_VIDEO_INIT, .limit = INIT_LIMIT },
  /* The scope depends on post_mode: the handler checks it. */
  { "/v2/post/publish/content/init/", "POST", emu_handle_content_init,
    ROUTE_API | ROUTE_RATE_FAULT,
    .count = COUNT_CONTENT_INITS, .fault = "init-5xx",
    .window = WINDOW_CONTENT_INIT, .limit = INIT_LIMIT },
  { "/v2/post/publish/status/fetch/", "POST", emu_handle_status_fetch, ROUTE_API,
    .scopes = { "video.upload", "video.publish" }, .count = COUNT_STATUS_FETCHES,
    .fault = "status-5xx", .window = WINDOW_STATUS, .limit = STATUS_LIMIT },
  { "/v2/post/publish/cancel/", "POST", emu_handle_cancel, ROUTE_API,
    .scopes = { "video.upload", "video.publish" }, .count = COUNT_CANCELS,
    .window = WINDOW_CANCEL, .limit = CANCEL_LIMIT },
  { "/v2/post/publish/video/init/", NULL, emu_refuse_direct_post,
    ROUTE_API | ROUTE_DIRECT_POST, .scopes = { "video.publish" } },
  { "/v2/post/publish/creator_info/query/", NULL, emu_refuse_direct_post,
    ROUTE_API | ROUTE_DIRECT_POST, .scopes = { "video.publish" } },
  { "/_emulator/state", "GET", emu_handle_admin_state, ROUTE_PUBLIC },
  { "/_emulator/fault", "POST", emu_handle_admin_fault, ROUTE_PUBLIC },
  { "/_emulator/act-on-drafts", "POST", emu_handle_admin_act, ROUTE_PUBLIC },
  { "/_emulator/reset", "POST", emu_handle_admin_reset, ROUTE_PUBLIC },
  { "/_emulator/user", "POST", emu_handle_admin_user, ROUTE_PUBLIC },
  { "/_emulator/avatar.png", "GET", emu_handle_avatar, ROUTE_PUBLIC },
};

static const Route *
route_lookup (const char *path)
{
  for (gsize i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (g_str_equal (routes[i].path, path))
        return &routes[i];
    }

  return NULL;
}

static gboolean
route_has_scope (const Route *route,
                 Grant       *grant)
{
  if (route->scopes[0] == NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (route->scopes) && route->scopes[i] != NULL; i++)
    {
      if (emu_grant_has_scope (grant, route->scopes[i]))
        return TRUE;
    }

  return FALSE;
}

/* The one guard: method, then for API routes the access token, the scope,
 * an armed fault and the rate limit, in that order.  Answers and returns
 * FALSE when the request stops here; *grant_out is the caller's grant
 * (NULL for public routes). */
static gboolean
route_guard (Emulator          *self,
             const Route       *route,
             SoupServerMessage *msg,
             Grant            **grant_out)
{
  Grant *grant;

  *grant_out = NULL;

  if (route->flags & ROUTE_DIRECT_POST)
    emu_record_direct_post (self, msg);

  if (route->method != NULL &&
      !g_str_equal (soup_server_message_get_method (msg), route->method))
    {
      emu_send_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_params",
                      "The HTTP method is not allowed for this endpoint");
      return FALSE;
    }

  if (route->count != COUNT_NONE)
    self->counts[route->count]++;

  if (!(route->flags & ROUTE_API))
    return TRUE;

  grant = emu_require_grant (self, msg);
  if (grant == NULL)
    return FALSE;

  if (!route_has_scope (route, grant))
    {
      /* Sends the 401 for the first scope. */
      return emu_require_scope (msg, grant, route->scopes[0]);
    }

  if (route->fault != NULL && emu_take_fault (self, route->fault))
    {
      emu_send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                      "Something went wrong. Please try again later.");
      return FALSE;
    }

  if (((route->flags & ROUTE_RATE_FAULT) && emu_take_fault (self, "rate-limit")) ||
      (route->limit > 0 && emu_rate_limited (grant->windows[route->window], route->limit)))
    {
      emu_send_error (msg, 429, "rate_limit_exceeded",
                      "API rate limit was exceeded, please try again later.");
      return FALSE;
    }

  *grant_out = grant;
  return TRUE;
}

static void
default_early_handler (SoupServer        *server,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (emu_cut_if_outage (user_data, msg))
    return;

  /* API bodies are small; refuse to buffer anything large. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > MAX_BODY)
    {
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      emu_send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "invalid_params",
                      "The request body is too large");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
    }
}

static void
default_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Emulator *self = user_data;
  const Route *route;
  Grant *grant;

  if (g_object_get_data (G_OBJECT (msg), "ttd-cut") != NULL)
    return;

  /* Every body mentioning DIRECT_POST is recorded, whatever the endpoint. */
  if (g_str_equal (soup_server_message_get_method (msg), "POST") &&
      g_str_has_prefix (path, "/v2/"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      gsize len = 0;
      const char *data = g_bytes_get_data (bytes, &len);

      if (data != NULL && g_strstr_len (data, (gssize) len, "DIRECT_POST") != NULL)
        emu_record_direct_post (self, msg);
    }

  route = route_lookup (path);
  if (route == NULL)
    {
      emu_send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such endpoint");
      return;
    }

  if (route_guard (self, route, msg, &grant))
    route->handler (self, msg, query, grant);
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  emu_log_request (user_data, msg, FALSE);
}

static void
request_aborted_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  emu_log_request (user_data, msg, TRUE);
}

void
emu_add_routes (Emulator *self)
{
  soup_server_add_early_handler (self->server, "/upload", emu_upload_early_handler, self, NULL);
  soup_server_add_handler (self->server, "/upload", emu_upload_handler, self, NULL);
  soup_server_add_early_handler (self->server, NULL, default_early_handler, self, NULL);
  soup_server_add_handler (self->server, NULL, default_handler, self, NULL);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (request_finished_cb), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (request_aborted_cb), self);
}
