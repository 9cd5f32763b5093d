/* ttd-emulator-photo.c — photo content init and pulling the photos from their URLs
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ttd-emulator-private.h"

#define PROBE_CAP        (4 * 1024 * 1024)
#define READ_BLOCK       65536

/* ------------------------------------------------------------------ */
/* photo pulls                                                          */
/* ------------------------------------------------------------------ */

static void photo_job_start (Emulator   *self,
                             const char *publish_id,
                             guint       index);

static void
photo_job_free (PhotoJob *job)
{
  job->emu->photo_jobs--;
  g_free (job->publish_id);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->msg);
  g_clear_object (&job->stream);
  g_clear_pointer (&job->checksum, g_checksum_free);
  g_clear_pointer (&job->probe, g_byte_array_unref);
  g_free (job);
}

/* Looks the draft up again: it may have been reset or cancelled meanwhile. */
static Draft *
photo_job_draft (PhotoJob *job)
{
  Draft *draft = g_hash_table_lookup (job->emu->drafts_by_id, job->publish_id);

  if (draft == NULL || draft->status != EMU_STATUS_DOWNLOAD ||
      g_cancellable_is_cancelled (job->cancellable))
    return NULL;

  return draft;
}

static void
photo_job_fail (PhotoJob   *job,
                const char *reason)
{
  Draft *draft = photo_job_draft (job);

  if (draft != NULL)
    emu_draft_fail (draft, reason);
  photo_job_free (job);
}

static void
photo_job_complete (PhotoJob *job)
{
  Draft *draft = photo_job_draft (job);
  PhotoImage *image;
  int short_side, long_side;

  if (draft == NULL)
    {
      photo_job_free (job);
      return;
    }

  if (!job->probed)
    {
      ProbeResult result = PROBE_BAD_FORMAT;

      if (job->probe != NULL && job->probe->len > 0)
        result = emu_probe_image (job->probe->data, job->probe->len, TRUE, &job->info);
      if (result != PROBE_OK)
        {
          photo_job_fail (job, "file_format_check_failed");
          return;
        }
    }

  short_side = MIN (job->info.width, job->info.height);
  long_side = MAX (job->info.width, job->info.height);
  if (short_side > 1080 || long_side > 1920)
    {
      photo_job_fail (job, "picture_size_check_failed");
      return;
    }

  image = g_new0 (PhotoImage, 1);
  image->url = g_strdup (g_ptr_array_index (draft->photo_urls, job->index));
  image->size = job->size;
  image->sha256 = g_strdup (g_checksum_get_string (job->checksum));
  image->format = job->info.format;
  image->width = job->info.width;
  image->height = job->info.height;
  image->has_exif = job->info.has_exif;
  image->progressive = job->info.progressive;
  g_ptr_array_add (draft->photo_images, image);

  if (job->index + 1 < draft->photo_urls->len)
    photo_job_start (job->emu, job->publish_id, job->index + 1);
  else
    emu_draft_start_processing (draft);

  photo_job_free (job);
}

static void
photo_job_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PhotoJob *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source),
                                                              result, &error);
  const guint8 *data;
  gsize len = 0;
  Draft *draft;

  if (bytes == NULL)
    {
      photo_job_fail (job, "photo_pull_failed");
      return;
    }

  draft = photo_job_draft (job);
  if (draft == NULL)
    {
      photo_job_free (job);
      return;
    }

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      photo_job_complete (job);
      return;
    }

  job->size += (gint64) len;
  draft->downloaded_bytes += (gint64) len;
  if (job->size > MAX_PHOTO_BYTES)
    {
      photo_job_fail (job, "picture_size_check_failed");
      return;
    }
  g_checksum_update (job->checksum, data, (gssize) len);

  if (!job->probed)
    {
      ProbeResult probe;

      g_byte_array_append (job->probe, data, (guint) len);
      probe = emu_probe_image (job->probe->data, job->probe->len, FALSE, &job->info);
      if (probe == PROBE_BAD_FORMAT ||
          (probe == PROBE_NEED_MORE && job->probe->len > PROBE_CAP))
        {
          photo_job_fail (job, "file_format_check_failed");
          return;
        }
      if (probe == PROBE_OK)
        {
          job->probed = TRUE;
          g_clear_pointer (&job->probe, g_byte_array_unref);
        }
    }

  g_input_stream_read_bytes_async (job->stream, READ_BLOCK, G_PRIORITY_DEFAULT,
                                   job->cancellable, photo_job_read_cb, job);
}

static void
photo_job_sent_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PhotoJob *job = user_data;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  job->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (job->stream == NULL ||
      soup_message_get_status (job->msg) != SOUP_STATUS_OK)
    {
      photo_job_fail (job, "photo_pull_failed");
      return;
    }

  headers = soup_message_get_response_headers (job->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > MAX_PHOTO_BYTES)
    {
      photo_job_fail (job, "picture_size_check_failed");
      return;
    }

  g_input_stream_read_bytes_async (job->stream, READ_BLOCK, G_PRIORITY_DEFAULT,
                                   job->cancellable, photo_job_read_cb, job);
}

static void
photo_job_start (Emulator   *self,
                 const char *publish_id,
                 guint       index)
{
  Draft *draft = g_hash_table_lookup (self->drafts_by_id, publish_id);
  PhotoJob *job;

  if (draft == NULL)
    return;

  job = g_new0 (PhotoJob, 1);
  job->emu = self;
  self->photo_jobs++;
  job->publish_id = g_strdup (publish_id);
  job->index = index;
  job->cancellable = g_object_ref (draft->cancellable);
  job->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  job->probe = g_byte_array_new ();
  job->msg = soup_message_new (SOUP_METHOD_GET, g_ptr_array_index (draft->photo_urls, index));
  if (job->msg == NULL)
    {
      photo_job_fail (job, "photo_pull_failed");
      return;
    }
  soup_message_add_flags (job->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_async (self->session, job->msg, G_PRIORITY_DEFAULT,
                           job->cancellable, photo_job_sent_cb, job);
}

/* ------------------------------------------------------------------ */
/* content init (photos)                                                */
/* ------------------------------------------------------------------ */

void
emu_handle_content_init (Emulator          *self,
                         SoupServerMessage *msg,
                         GHashTable        *query,
                         Grant             *grant)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) data = NULL;
  JsonObject *source_info, *post_info;
  JsonNode *node;
  JsonArray *images;
  const char *media_type, *post_mode, *source, *title = NULL, *description = NULL;
  gint64 cover = -1;
  Draft *draft;
  guint n, i;

  body = emu_parse_json_body (msg);
  if (body == NULL)
    return;

  media_type = emu_json_get_string (body, "media_type");
  post_mode = emu_json_get_string (body, "post_mode");
  if (g_strcmp0 (media_type, "PHOTO") != 0)
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params", "media_type must be PHOTO");
      return;
    }

  if (g_strcmp0 (post_mode, "DIRECT_POST") == 0)
    {
      /* The scope this route's guard cannot know before the body. */
      if (emu_require_scope (msg, grant, "video.publish"))
        emu_refuse_direct_post (self, msg, query, grant);
      return;
    }

  if (g_strcmp0 (post_mode, "MEDIA_UPLOAD") != 0)
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "post_mode must be MEDIA_UPLOAD or DIRECT_POST");
      return;
    }

  if (!emu_require_scope (msg, grant, "video.upload"))
    return;

  source_info = emu_json_get_object (body, "source_info");
  source = emu_json_get_string (source_info, "source");
  if (g_strcmp0 (source, "PULL_FROM_URL") != 0)
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "source_info.source must be PULL_FROM_URL for photos");
      return;
    }

  node = json_object_get_member (source_info, "photo_images");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "source_info.photo_images must be a list of URLs");
      return;
    }
  images = json_node_get_array (node);
  n = json_array_get_length (images);
  if (n < 1 || n > MAX_PHOTOS)
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "source_info.photo_images must hold 1 to 35 URLs");
      return;
    }
  for (i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (images, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                          "source_info.photo_images must hold strings");
          return;
        }
    }

  if (!emu_json_get_int (source_info, "photo_cover_index", &cover) || cover < 0 || cover >= n)
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "source_info.photo_cover_index is missing or out of range");
      return;
    }

  node = json_object_get_member (body, "post_info");
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node))
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params", "post_info must be an object");
      return;
    }
  post_info = emu_json_get_object (body, "post_info");
  if (post_info != NULL)
    {
      /* privacy_level, disable_comment, auto_add_music and the brand
       * toggles are DIRECT_POST-only: ignored for MEDIA_UPLOAD. */
      if ((json_object_has_member (post_info, "title") &&
           (title = emu_json_get_string (post_info, "title")) == NULL) ||
          (json_object_has_member (post_info, "description") &&
           (description = emu_json_get_string (post_info, "description")) == NULL))
        {
          emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                          "post_info.title and post_info.description must be strings");
          return;
        }
      if (title != NULL && emu_utf16_length (title) > MAX_TITLE)
        {
          emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                          "post_info.title is longer than 90 characters");
          return;
        }
      if (description != NULL && emu_utf16_length (description) > MAX_DESCRIPTION)
        {
          emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                          "post_info.description is longer than 4000 characters");
          return;
        }
    }

  for (i = 0; i < n; i++)
    {
      if (!emu_url_is_verified (self, json_array_get_string_element (images, i)))
        {
          emu_send_error (msg, SOUP_STATUS_FORBIDDEN, "url_ownership_unverified",
                          "A photo URL is not under a verified domain or URL prefix.");
          return;
        }
    }

  if (!emu_pending_gate (self, msg, grant))
    return;

  draft = emu_draft_new (self, KIND_PHOTO, grant, "p_pub_url~v2.");
  draft->status = EMU_STATUS_DOWNLOAD;
  draft->photo_urls = g_ptr_array_new_with_free_func (g_free);
  draft->photo_images = g_ptr_array_new_with_free_func (emu_photo_image_free);
  for (i = 0; i < n; i++)
    g_ptr_array_add (draft->photo_urls, g_strdup (json_array_get_string_element (images, i)));
  draft->photo_cover_index = cover;
  draft->title = g_strdup (title);
  draft->description = g_strdup (description);
  draft->cancellable = g_cancellable_new ();

  photo_job_start (self, draft->publish_id, 0);

  data = json_object_new ();
  json_object_set_string_member (data, "publish_id", draft->publish_id);
  emu_send_ok (msg, data);
}
