/* ttd-photo-host.c — HTTP PUT/DELETE to a WebDAV or S3-compatible photo host
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>

#include "ttd-api-client.h"
#include "ttd-error.h"
#include "ttd-http.h"
#include "ttd-json.h"
#include "ttd-log.h"
#include "ttd-photo-host.h"
#include "ttd-photo-host-private.h"
#include "ttd-process.h"
#include "ttd-secure.h"

/* Plain HTTP PUT works with nginx's dav module, Apache mod_dav, Nextcloud
 * and rclone serve webdav alike. Files get unguessable names (160 random
 * bits) because the public prefix must be readable by TikTok without
 * credentials. Every hosted file is recorded in a small private list until
 * it is deleted, so what a crash left behind is deleted on the next start.
 * An S3-compatible host (ttd-photo-host-s3.c) differs only in how a
 * request is addressed and signed, and in how a refusal reads. */

#define NAME_RANDOM_BYTES 20
#define LEDGER_NAME       "hosted-photos.json"
#define LEDGER_MAX_SIZE   (4 * 1024 * 1024)   /* tens of thousands of entries */

struct _TtdPhotoHost
{
  SoupSession *session;
  char        *id;           /* the ledger's name for this host */
  char        *upload_url;   /* WebDAV; ends in "/" */
  char        *public_url;   /* ends in "/" */
  char        *authorization;
  TtdS3Target *s3;           /* S3; then names are put under key_prefix */
  char        *key_prefix;   /* "" or ends in "/"; part of the public URL too */
};

static GMutex ledger_lock;

static char *
with_slash (const char *url)
{
  return g_str_has_suffix (url, "/") ? g_strdup (url) : g_strconcat (url, "/", NULL);
}

/**
 * ttd_photo_host_new:
 *
 * Returns: (transfer full): the host, or %NULL with a sentence saying what
 *   to configure.
 */
TtdPhotoHost *
ttd_photo_host_new (const TtdConfig  *config,
                    SoupSession      *session,
                    GError          **error)
{
  g_autoptr(TtdPhotoHost) self = NULL;
  const char *auth = config->photo_auth ? config->photo_auth : "none";

  if (ttd_config_photo_host_is_s3 (config))
    {
      g_autoptr(TtdS3Target) s3 = _ttd_s3_target_new (config, error);

      if (s3 == NULL || !ttd_check_base_uri (_("photo public address"), config->photo_public_url, error))
        return NULL;

      self = g_new0 (TtdPhotoHost, 1);
      self->session = g_object_ref (session);
      self->s3 = g_steal_pointer (&s3);
      self->key_prefix = _ttd_s3_normalize_prefix (config->s3_prefix);
      self->public_url = with_slash (config->photo_public_url);
      self->id = _ttd_s3_target_id (self->s3, self->key_prefix);
      return g_steal_pointer (&self);
    }

  if (config->photo_host_type != NULL && !g_str_equal (config->photo_host_type, TTD_PHOTO_HOST_WEBDAV))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   _("The photo host type “%s” is not known; use webdav or s3."), config->photo_host_type);
      return NULL;
    }

  if (config->photo_upload_url == NULL || config->photo_public_url == NULL)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   _("TikTok only takes photos from a web address you own, so photos need a photo host: set its upload address and public address in Preferences (or %s and %s)."),
                   TTD_ENV_PHOTO_UPLOAD_URL, TTD_ENV_PHOTO_PUBLIC_URL);
      return NULL;
    }

  if (!ttd_check_base_uri (_("photo upload address"), config->photo_upload_url, error) ||
      !ttd_check_base_uri (_("photo public address"), config->photo_public_url, error))
    return NULL;

  self = g_new0 (TtdPhotoHost, 1);
  self->session = g_object_ref (session);
  self->upload_url = with_slash (config->photo_upload_url);
  self->public_url = with_slash (config->photo_public_url);
  self->key_prefix = g_strdup ("");
  self->id = g_strdup (self->upload_url);

  if (g_str_equal (auth, "basic"))
    {
      g_autofree char *pair = g_strdup_printf ("%s:%s", config->photo_username ? config->photo_username : "",
                                               config->photo_password ? config->photo_password : "");
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

      self->authorization = g_strconcat ("Basic ", encoded, NULL);
      explicit_bzero (pair, strlen (pair));
    }
  else if (g_str_equal (auth, "bearer"))
    {
      if (config->photo_password == NULL)
        {
          g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                       _("The photo host is set to use a bearer token, but no token is saved. Enter it in Preferences."));
          return NULL;
        }
      self->authorization = g_strconcat ("Bearer ", config->photo_password, NULL);
    }
  else if (!g_str_equal (auth, "none"))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   _("The photo host sign-in method “%s” is not known; use none, basic or bearer."), auth);
      return NULL;
    }

  ttd_log_add_secret (self->authorization);

  return g_steal_pointer (&self);
}

void
ttd_photo_host_free (TtdPhotoHost *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->session);
  g_free (self->id);
  g_free (self->key_prefix);
  g_clear_pointer (&self->s3, _ttd_s3_target_free);
  g_free (self->upload_url);
  g_free (self->public_url);
  ttd_secure_free (self->authorization);
  g_free (self);
}

/* "ttd-" + 40 hex characters (160 random bits) + ".jpg" */
char *
ttd_photo_host_new_name (GError **error)
{
  guint8 bytes[NAME_RANDOM_BYTES];
  GString *name = g_string_new ("ttd-");

  if (!ttd_random_bytes (bytes, sizeof bytes, error))
    {
      g_string_free (name, TRUE);
      return NULL;
    }

  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (name, "%02x", bytes[i]);
  g_string_append (name, ".jpg");

  return g_string_free (name, FALSE);
}

/**
 * ttd_photo_host_get_id:
 *
 * Returns: what the hosted-photos ledger calls this host: the WebDAV
 *   upload address, or "s3:ENDPOINT/BUCKET/PREFIX"
 */
const char *
ttd_photo_host_get_id (TtdPhotoHost *self)
{
  return self->id;
}

char *
ttd_photo_host_public_url (TtdPhotoHost *self,
                           const char   *name)
{
  return g_strconcat (self->public_url, self->key_prefix, name, NULL);
}

/* A PUT (with @body) or DELETE of @name, addressed and signed for the host. */
static SoupMessage *
host_message (TtdPhotoHost  *self,
              const char    *method,
              const char    *name,
              GBytes        *body,
              GError       **error)
{
  g_autofree char *url = NULL;
  SoupMessage *message;

  if (self->s3 != NULL)
    {
      g_autofree char *key = g_strconcat (self->key_prefix, name, NULL);
      return _ttd_s3_target_message (self->s3, method, key, body, error);
    }

  url = g_strconcat (self->upload_url, name, NULL);
  message = ttd_http_message_new (_("photo upload address"), method, url, error);
  if (message == NULL)
    return NULL;

  if (self->authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message),
                                  "Authorization", self->authorization);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, "image/jpeg", body);

  return message;
}

static gboolean
host_status_error (TtdPhotoHost  *self,
                   guint          status,
                   GBytes        *answer,
                   const char    *action,
                   GError       **error)
{
  if (self->s3 != NULL)
    return _ttd_s3_target_refused (self->s3, status, answer, action, error);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                 /* Translators: %s is “store” or “delete” (translated separately), %u an HTTP status */
                 _("The photo host refused to %s the photo (HTTP %u). Check the photo host's user name and password in Preferences."),
                 action, status);
  else if (status == SOUP_STATUS_METHOD_NOT_ALLOWED || status == SOUP_STATUS_NOT_IMPLEMENTED)
    g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                 _("The photo host does not accept uploads at its upload address (HTTP %u). It must allow HTTP PUT and DELETE, as WebDAV servers do."),
                 status);
  else if (status >= 500)
    g_set_error (error, TTD_ERROR, TTD_ERROR_SERVER,
                 _("The photo host had a problem (HTTP %u). Try again in a moment."), status);
  else
    g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                 /* Translators: %s is “store” or “delete” (translated separately), %u an HTTP status */
                 _("The photo host could not %s the photo (HTTP %u). Check the photo host settings in Preferences."),
                 action, status);
  return FALSE;
}

static gboolean
network_error (GError     **error,
               GError      *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED) || cause->domain == TTD_ERROR)
    g_propagate_error (error, cause);
  else
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_NETWORK,
                   _("Could not reach the photo host (%s). Check its address and your connection."),
                   cause->message);
      g_error_free (cause);
    }
  return FALSE;
}

gboolean
ttd_photo_host_put (TtdPhotoHost  *self,
                    const char    *name,
                    GBytes        *data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(SoupMessage) message = host_message (self, SOUP_METHOD_PUT, name, data, error);
  g_autoptr(GBytes) answer = NULL;
  GError *local_error = NULL;
  guint status;

  if (message == NULL)
    return FALSE;

  answer = ttd_http_send_and_read (self->session, message, _("photo upload address"),
                                   TTD_HTTP_MAX_ANSWER, cancellable, &local_error);
  if (answer == NULL)
    return network_error (error, local_error);

  status = soup_message_get_status (message);
  g_debug ("PUT photo → %u", status);
  if (status != SOUP_STATUS_CREATED && status != SOUP_STATUS_NO_CONTENT && status != SOUP_STATUS_OK)
    /* Translators: a verb in the infinitive, put into “The photo host refused to %s the photo” */
    return host_status_error (self, status, answer, _("store"), error);

  return TRUE;
}

/* TikTok refuses redirects and must get the very bytes we converted. */
gboolean
ttd_photo_host_verify (TtdPhotoHost  *self,
                       const char    *name,
                       GBytes        *data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autofree char *url = ttd_photo_host_public_url (self, name);
  g_autoptr(SoupMessage) message = ttd_http_message_new (_("photo public address"), SOUP_METHOD_GET, url, error);
  g_autoptr(GBytes) answer = NULL;
  GError *local_error = NULL;
  guint status;

  if (message == NULL)
    return FALSE;

  /* ttd_http_send_and_read() refuses a redirect, as TikTok does. */
  answer = ttd_http_send_and_read (self->session, message, _("photo public address"),
                                   g_bytes_get_size (data), cancellable, &local_error);
  if (answer == NULL)
    return network_error (error, local_error);

  status = soup_message_get_status (message);

  if (status != SOUP_STATUS_OK || !g_bytes_equal (answer, data))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   _("The photo host does not serve the uploaded photo at its public address (HTTP %u). Check that the public address matches the upload address in Preferences."),
                   status);
      return FALSE;
    }

  return TRUE;
}

gboolean
ttd_photo_host_delete (TtdPhotoHost  *self,
                       const char    *name,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(SoupMessage) message = host_message (self, SOUP_METHOD_DELETE, name, NULL, NULL);
  g_autoptr(GBytes) answer = NULL;
  GError *local_error = NULL;
  guint status;

  if (message == NULL)
    return TRUE;

  answer = ttd_http_send_and_read (self->session, message, _("photo upload address"),
                                   TTD_HTTP_MAX_ANSWER, cancellable, &local_error);
  if (answer == NULL)
    return network_error (error, local_error);

  status = soup_message_get_status (message);
  g_debug ("DELETE photo → %u", status);
  if (SOUP_STATUS_IS_SUCCESSFUL (status) || status == SOUP_STATUS_NOT_FOUND)
    {
      ttd_photo_host_forget (self->id, name);
      return TRUE;
    }

  /* Translators: a verb in the infinitive, put into “The photo host refused to %s the photo” */
  return host_status_error (self, status, answer, _("delete"), error);
}

/* The ledger: $XDG_DATA_HOME/tiktok-drafts/hosted-photos.json, 0600. */

static char *
ledger_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tiktok-drafts", LEDGER_NAME, NULL);
}

/* Exactly what ttd_photo_host_new_name() makes. The ledger's names go into
 * DELETE requests: anything else (".", "..", "a/b", a file of the user's)
 * could delete what is not ours. */
static gboolean
name_is_ours (const char *name)
{
  const gsize prefix = strlen ("ttd-");
  const gsize digits = 2 * NAME_RANDOM_BYTES;

  if (name == NULL || strlen (name) != prefix + digits + strlen (".jpg") ||
      !g_str_has_prefix (name, "ttd-") || !g_str_has_suffix (name, ".jpg"))
    return FALSE;

  for (gsize i = prefix; i < prefix + digits; i++)
    if (!g_ascii_isdigit (name[i]) && (name[i] < 'a' || name[i] > 'f'))
      return FALSE;

  return TRUE;
}

/* Only what this app writes: objects with a host address and one of our
 * names; anything else in the file is left out (and so forgotten on the
 * next save). */
static JsonArray *
ledger_load (void)
{
  g_autofree char *path = ledger_path ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *entries = json_array_new ();
  JsonArray *array;

  root = ttd_json_load_file_bounded (path, LEDGER_MAX_SIZE, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_warning ("Ignoring %s: %s", path, error->message);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return entries;

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (object != NULL &&
          json_object_get_string_member_with_default (object, "upload_url", NULL) != NULL &&
          name_is_ours (json_object_get_string_member_with_default (object, "name", NULL)))
        json_array_add_object_element (entries, json_object_ref (object));
      else
        g_warning ("Ignoring an entry of %s that TikTok Drafts did not write", path);
    }

  return entries;
}

static void
ledger_save (JsonArray *array)
{
  g_autofree char *path = ledger_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  json_node_set_array (root, array);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  g_mkdir_with_parents (dir, 0700);
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("Could not remember the hosted photos: %s", error->message);
}

/**
 * ttd_photo_host_record:
 *
 * Notes a hosted file before it is uploaded, so it can be deleted later
 * even after a crash.
 */
void
ttd_photo_host_record (const char *upload_url,
                       const char *name,
                       const char *publish_id)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&ledger_lock);
  g_autoptr(JsonArray) array = ledger_load ();
  g_autofree char *base = with_slash (upload_url);
  JsonObject *entry = NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "upload_url", ""), base) == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (object, "name", ""), name) == 0)
        entry = object;
    }

  if (entry == NULL)
    {
      entry = json_object_new ();
      json_object_set_string_member (entry, "upload_url", base);
      json_object_set_string_member (entry, "name", name);
      json_object_set_int_member (entry, "hosted_at", g_get_real_time () / G_USEC_PER_SEC);
      json_object_set_int_member (entry, "pid", getpid ());
      json_object_set_int_member (entry, "pid_start_time", ttd_process_own_start_time ());
      json_array_add_object_element (array, entry);
    }

  if (publish_id != NULL)
    json_object_set_string_member (entry, "publish_id", publish_id);

  ledger_save (array);
}

void
ttd_photo_host_forget (const char *upload_url,
                       const char *name)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&ledger_lock);
  g_autoptr(JsonArray) array = ledger_load ();
  g_autoptr(JsonArray) kept = json_array_new ();
  g_autofree char *base = with_slash (upload_url);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "upload_url", ""), base) != 0 ||
          g_strcmp0 (json_object_get_string_member_with_default (object, "name", ""), name) != 0)
        json_array_add_object_element (kept, json_object_ref (object));
    }

  ledger_save (kept);
}

/**
 * ttd_photo_host_clean_leftovers:
 *
 * Deletes files on this host that an earlier run left behind: those never
 * handed to TikTok by a process that is gone, and those TikTok has had its
 * hour to pull.
 *
 * Returns: how many were deleted.
 */
guint
ttd_photo_host_clean_leftovers (TtdPhotoHost *self,
                                GCancellable *cancellable)
{
  g_autoptr(JsonArray) array = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint deleted = 0;

  g_mutex_lock (&ledger_lock);
  array = ledger_load ();
  g_mutex_unlock (&ledger_lock);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      const char *name = json_object_get_string_member_with_default (object, "name", NULL);
      gboolean sent = json_object_has_member (object, "publish_id");
      gint64 hosted_at = json_object_get_int_member_with_default (object, "hosted_at", 0);
      gint64 pid = json_object_get_int_member_with_default (object, "pid", 0);
      gint64 pid_start_time = json_object_get_int_member_with_default (object, "pid_start_time", 0);
      /* the same pid and start time: a reused pid (or pid 1) is not ours */
      gboolean owner_alive = pid != getpid () && ttd_process_is_running (pid, pid_start_time);

      if (name == NULL ||
          g_strcmp0 (json_object_get_string_member_with_default (object, "upload_url", ""), self->id) != 0)
        continue;

      /* Still being sent by a running instance, or TikTok may still pull. */
      if ((owner_alive || sent) && now - hosted_at < TTD_PHOTO_PULL_WINDOW_SECONDS)
        continue;

      if (ttd_photo_host_delete (self, name, cancellable, NULL))
        deleted++;
    }

  return deleted;
}

/* A 1×1 JPEG: what the check puts, fetches back and deletes. */
static GBytes *
probe_photo (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 1, 1);
  char *data = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0xfe2c55ff);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &data, &size, "jpeg", NULL, NULL))
    return NULL;

  return g_bytes_new_take (data, size);
}

/**
 * ttd_photo_host_test:
 *
 * What Preferences' “Test photo host” and `tiktok-drafts-cli photo-host
 * check` do: put a small photo under a new name, fetch it from the public
 * address as TikTok would (no redirect, the same bytes), and delete it.
 * This blocks: call it from a worker thread.
 *
 * Returns: whether the host works; else @error says in one sentence what
 *   is wrong
 */
gboolean
ttd_photo_host_test (TtdPhotoHost  *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GBytes) photo = probe_photo ();
  g_autofree char *name = NULL;
  g_autoptr(GError) delete_error = NULL;
  gboolean served;

  g_return_val_if_fail (self != NULL, FALSE);

  if (photo == NULL)
    {
      g_set_error_literal (error, TTD_ERROR, TTD_ERROR_FAILED,
                           _("Could not make a test photo: the JPEG encoder is missing."));
      return FALSE;
    }

  if ((name = ttd_photo_host_new_name (error)) == NULL)
    return FALSE;

  ttd_photo_host_record (self->id, name, NULL);
  if (!ttd_photo_host_put (self, name, photo, cancellable, error))
    {
      ttd_photo_host_forget (self->id, name);
      return FALSE;
    }

  served = ttd_photo_host_verify (self, name, photo, cancellable, error);

  /* Delete also when the public address failed; a failed delete is
   * the answer only when all else worked. */
  if (!ttd_photo_host_delete (self, name, cancellable, served ? error : &delete_error))
    return FALSE;

  return served;
}
