/* ttd-emulator-server.c — setting the emulator up, its thread, and the
 * public API of ttd-emulator.h
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SoupServer, the SoupSession for photo pulls and every timeout live
 * on the emulator's own GMainContext, run by its own thread.  Callers on
 * other threads reach the state only through emulator_call(), which runs a
 * function on that thread and waits for it.
 */

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "ttd-emulator-private.h"

static GBytes *
make_avatar_png (GError **error)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 100, 100);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  gchar *buffer = NULL;
  gsize size = 0;
  int x, y;

  for (y = 0; y < 100; y++)
    {
      for (x = 0; x < 100; x++)
        {
          guint8 *p = pixels + y * stride + x * 4;
          double dx = x - 49.5, dy = y - 49.5;
          double t = (x + y) / 198.0;
          gboolean inside = dx * dx + dy * dy <= 48.0 * 48.0;

          /* TikTok-ish gradient from cyan to pink */
          p[0] = (guint8) (0x25 + t * (0xfe - 0x25));
          p[1] = (guint8) (0xf4 + t * (0x2c - 0xf4));
          p[2] = (guint8) (0xee + t * (0x55 - 0xee));
          p[3] = inside ? 0xff : 0x00;
        }
    }

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", error, NULL))
    return NULL;

  return g_bytes_new_take (buffer, size);
}

static char **
normalise_prefixes (const char * const  *prefixes,
                    GError             **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint i;

  for (i = 0; prefixes != NULL && prefixes[i] != NULL; i++)
    {
      const char *prefix = prefixes[i];
      g_autofree char *fixed = NULL;

      if (!g_str_has_prefix (prefix, "https://") &&
          !g_str_has_prefix (prefix, "http://127.0.0.1:") &&
          !g_str_has_prefix (prefix, "http://localhost:"))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--verified-prefix %s: must be https:// (or http://127.0.0.1:PORT/ / "
                       "http://localhost:PORT/ for tests)", prefix);
          return NULL;
        }
      if (!g_uri_is_valid (prefix, G_URI_FLAGS_NONE, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--verified-prefix %s: not a valid URL", prefix);
          return NULL;
        }

      fixed = g_str_has_suffix (prefix, "/") ? g_strdup (prefix) : g_strconcat (prefix, "/", NULL);
      g_strv_builder_add (builder, fixed);
    }

  return g_strv_builder_end (builder);
}

void
ttd_emulator_config_init (TtdEmulatorConfig *config)
{
  static const char * const default_redirects[] = {
    "http://127.0.0.1:*/callback/", "http://localhost:*/callback/", NULL
  };

  g_return_if_fail (config != NULL);

  *config = (TtdEmulatorConfig) {
    .client_key = "demo-client-key",
    .client_secret = "demo-client-secret",
    .redirect_uris = default_redirects,
    .access_ttl = 86400,
    .refresh_ttl = 31536000,
    .upload_url_ttl = 3600,
    .processing_ms = 1500,
    .display_name = "Demo Creator",
  };
}

/**
 * ttd_emulator_new:
 * @config: (nullable): what differs from ttd_emulator_config_init()
 *
 * Returns: a stopped emulator, or %NULL if @config is not valid
 */
TtdEmulator *
ttd_emulator_new (const TtdEmulatorConfig  *config,
                  GError                  **error)
{
  g_autoptr(TtdEmulator) self = NULL;
  TtdEmulatorConfig defaults;

  ttd_emulator_config_init (&defaults);
  if (config == NULL)
    config = &defaults;

  if (config->access_ttl < 0 || config->refresh_ttl < 0 || config->upload_url_ttl < 0 ||
      config->processing_ms < 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "Lifetimes and the processing time must not be negative.");
      return NULL;
    }

  self = g_new0 (TtdEmulator, 1);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->client_key = g_strdup (config->client_key != NULL ? config->client_key
                                                          : defaults.client_key);
  self->client_secret = g_strdup (config->client_secret != NULL ? config->client_secret
                                                                : defaults.client_secret);
  self->redirect_uris = g_strdupv ((char **) (config->redirect_uris != NULL &&
                                              config->redirect_uris[0] != NULL ?
                                              config->redirect_uris : defaults.redirect_uris));
  self->access_ttl = config->access_ttl;
  self->refresh_ttl = config->refresh_ttl;
  self->upload_url_ttl = config->upload_url_ttl;
  self->processing_ms = config->processing_ms;
  self->choose_account = config->choose_account;
  self->display_name = g_strdup (config->display_name != NULL ? config->display_name
                                                              : defaults.display_name);
  self->open_id = emu_random_uuid ();
  self->union_id = emu_random_uuid ();
  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (self->users, g_strdup (self->open_id), g_strdup (self->display_name));

  self->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, emu_auth_code_free);
  self->grants_by_access = g_hash_table_new (g_str_hash, g_str_equal);
  self->grants_by_refresh = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, emu_grant_free);
  self->drafts = g_ptr_array_new_with_free_func (emu_draft_free);
  self->drafts_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->drafts_by_upload_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->faults = g_ptr_array_new_with_free_func (g_free);
  self->direct_post_attempts = g_ptr_array_new_with_free_func (emu_direct_post_attempt_free);
  self->requests = g_ptr_array_new_with_free_func (emu_request_record_free);

  self->verified_prefixes = normalise_prefixes (config->verified_prefixes, error);
  if (self->verified_prefixes == NULL)
    return NULL;
  self->avatar_png = make_avatar_png (error);
  if (self->avatar_png == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

typedef struct
{
  TtdEmulator *self;
  guint port;
  GMutex lock;
  GCond cond;
  gboolean done;
  GError *error;
} StartData;

static void
start_data_finish (StartData *start,
                   GError    *error)
{
  g_mutex_lock (&start->lock);
  start->error = error;
  start->done = TRUE;
  g_cond_signal (&start->cond);
  g_mutex_unlock (&start->lock);
}

static gboolean
listen_local (TtdEmulator *self,
              guint        port,
              GError     **error)
{
  g_autoptr(GSList) uris = NULL;

  self->session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 10, NULL);
  soup_session_set_proxy_resolver (self->session, NULL);
  self->server = soup_server_new ("server-header", "tiktok-drafts-emulator ", NULL);
  emu_add_routes (self);

  if (!soup_server_listen_local (self->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;

  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  if (self->base_url == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No listening address.");
      return FALSE;
    }

  return TRUE;
}

static gpointer
emulator_thread (gpointer data)
{
  StartData *start = data;
  TtdEmulator *self = start->self;
  GError *error = NULL;
  gboolean listening;

  g_main_context_push_thread_default (self->context);

  listening = listen_local (self, start->port, &error);
  start_data_finish (start, error);     /* @start is gone after this */
  if (listening)
    g_main_loop_run (self->loop);

  /* Stopped: let the cancelled photo pulls unwind before the session goes. */
  soup_session_abort (self->session);
  while (self->photo_jobs > 0)
    g_main_context_iteration (self->context, TRUE);
  g_clear_object (&self->server);
  g_clear_object (&self->session);

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/**
 * ttd_emulator_start:
 * @port: the port on 127.0.0.1, 0 for any free one
 *
 * Starts serving on the emulator's own thread; returns once it listens.
 */
gboolean
ttd_emulator_start (TtdEmulator  *self,
                    guint         port,
                    GError      **error)
{
  StartData start = { .self = self, .port = port };
  gboolean ok;

  g_return_val_if_fail (self->thread == NULL, FALSE);

  g_mutex_init (&start.lock);
  g_cond_init (&start.cond);
  self->thread = g_thread_new ("ttd-emulator", emulator_thread, &start);

  g_mutex_lock (&start.lock);
  while (!start.done)
    g_cond_wait (&start.cond, &start.lock);
  g_mutex_unlock (&start.lock);
  g_mutex_clear (&start.lock);
  g_cond_clear (&start.cond);

  ok = start.error == NULL;
  if (!ok)
    {
      g_propagate_prefixed_error (error, start.error,
                                  "Cannot listen on 127.0.0.1:%u: ", port);
      g_clear_pointer (&self->thread, g_thread_join);
    }

  return ok;
}

const char *
ttd_emulator_get_base_url (TtdEmulator *self)
{
  return self->base_url;
}

typedef struct
{
  TtdEmulator *self;
  void (*func) (TtdEmulator *self, gpointer data);
  gpointer data;
  GMutex lock;
  GCond cond;
  gboolean done;
} Call;

static gboolean
call_cb (gpointer user_data)
{
  Call *call = user_data;

  call->func (call->self, call->data);
  g_mutex_lock (&call->lock);
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->lock);
  return G_SOURCE_REMOVE;
}

/* Runs @func on the emulator's thread (right here if it is not running)
 * and returns when it is done. */
static void
emulator_call (TtdEmulator *self,
               void       (*func) (TtdEmulator *self, gpointer data),
               gpointer     data)
{
  Call call = { .self = self, .func = func, .data = data };

  if (self->thread == NULL || g_main_context_is_owner (self->context))
    {
      func (self, data);
      return;
    }

  g_mutex_init (&call.lock);
  g_cond_init (&call.cond);
  g_main_context_invoke (self->context, call_cb, &call);
  g_mutex_lock (&call.lock);
  while (!call.done)
    g_cond_wait (&call.cond, &call.lock);
  g_mutex_unlock (&call.lock);
  g_mutex_clear (&call.lock);
  g_cond_clear (&call.cond);
}

typedef struct
{
  const char *name;
  gboolean armed;
} ArmCall;

static void
arm_fault_cb (TtdEmulator *self,
              gpointer     data)
{
  ArmCall *arm = data;

  arm->armed = emu_arm_fault (self, arm->name);
}

/**
 * ttd_emulator_arm_fault:
 * @name: a fault as POST /_emulator/fault takes it, e.g. "upload-5xx"
 */
gboolean
ttd_emulator_arm_fault (TtdEmulator  *self,
                        const char   *name,
                        GError      **error)
{
  ArmCall arm = { .name = name };

  emulator_call (self, arm_fault_cb, &arm);
  if (!arm.armed)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "The emulator has no fault called “%s”.", name);
  return arm.armed;
}

static void
act_cb (TtdEmulator *self,
        gpointer     data)
{
  *(guint *) data = emu_act_on_drafts (self);
}

guint
ttd_emulator_act_on_drafts (TtdEmulator *self)
{
  guint acted = 0;

  emulator_call (self, act_cb, &acted);
  return acted;
}

static void
reset_cb (TtdEmulator *self,
          gpointer     data)
{
  emu_reset (self);
}

void
ttd_emulator_reset (TtdEmulator *self)
{
  emulator_call (self, reset_cb, NULL);
}

typedef struct
{
  const char *scope;
  Grant *grant;
  char *open_id, *access_token, *refresh_token;
} IssueCall;

static void
issue_cb (TtdEmulator *self,
          gpointer     data)
{
  IssueCall *issue = data;
  Grant *grant = emu_issue_grant (self, self->client_key, self->open_id, issue->scope);

  issue->open_id = g_strdup (grant->open_id);
  issue->access_token = g_strdup (grant->access_token);
  issue->refresh_token = g_strdup (grant->refresh_token);
}

/**
 * ttd_emulator_issue_tokens:
 * @scope: the scopes granted, comma-separated
 *
 * Signs the emulated user in to the configured client as a completed
 * authorization-code exchange would, without the browser.
 */
void
ttd_emulator_issue_tokens (TtdEmulator  *self,
                           const char   *scope,
                           char        **open_id,
                           char        **access_token,
                           char        **refresh_token)
{
  IssueCall issue = { .scope = scope };

  emulator_call (self, issue_cb, &issue);
  *open_id = issue.open_id;
  *access_token = issue.access_token;
  *refresh_token = issue.refresh_token;
}

static void
state_cb (TtdEmulator *self,
          gpointer     data)
{
  *(JsonNode **) data = emu_build_state (self);
}

/**
 * ttd_emulator_dup_state:
 *
 * Returns: (transfer full): what GET /_emulator/state answers
 */
JsonNode *
ttd_emulator_dup_state (TtdEmulator *self)
{
  JsonNode *state = NULL;

  emulator_call (self, state_cb, &state);
  return state;
}

static void
stop_cb (TtdEmulator *self,
         gpointer     data)
{
  soup_server_disconnect (self->server);
  emu_reset (self);                     /* cancels the photo pulls */
  g_main_loop_quit (self->loop);
}

void
ttd_emulator_free (TtdEmulator *self)
{
  if (self == NULL)
    return;

  if (self->thread != NULL)
    {
      emulator_call (self, stop_cb, NULL);
      g_clear_pointer (&self->thread, g_thread_join);
    }

  g_clear_pointer (&self->drafts, g_ptr_array_unref);
  g_clear_pointer (&self->drafts_by_id, g_hash_table_unref);
  g_clear_pointer (&self->drafts_by_upload_id, g_hash_table_unref);
  g_clear_pointer (&self->grants_by_access, g_hash_table_unref);
  g_clear_pointer (&self->grants_by_refresh, g_hash_table_unref);
  g_clear_pointer (&self->codes, g_hash_table_unref);
  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->direct_post_attempts, g_ptr_array_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->avatar_png, g_bytes_unref);
  g_free (self->base_url);
  g_free (self->client_key);
  g_free (self->client_secret);
  g_strfreev (self->redirect_uris);
  g_strfreev (self->verified_prefixes);
  g_free (self->display_name);
  g_free (self->open_id);
  g_free (self->union_id);
  g_clear_pointer (&self->users, g_hash_table_unref);
  g_free (self);
}
