/* ttd-emulator-video.c — inbox video init and the streamed upload PUTs
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ttd-emulator-private.h"

/* ------------------------------------------------------------------ */
/* inbox video init                                                     */
/* ------------------------------------------------------------------ */

static const char *
check_chunk_plan (gint64 size,
                  gint64 chunk,
                  gint64 count)
{
  if (size <= 0 || size > MAX_VIDEO_SIZE)
    return "The video size is invalid";
  if (count < 1 || count > MAX_CHUNKS)
    return "The total chunk count is invalid";
  if (chunk <= 0)
    return DESC_CHUNK;

  if (count == 1)
    {
      if (chunk != size)
        return DESC_CHUNK;
      if (size > MAX_CHUNK)
        return "The video size is invalid: files over 64 MB must be uploaded in several chunks";
      return NULL;
    }

  if (size < MIN_CHUNK)
    return DESC_CHUNK;
  if (chunk < MIN_CHUNK || chunk > MAX_CHUNK)
    return DESC_CHUNK;
  if (count != size / chunk)
    return "The total chunk count is invalid";
  if (size - (count - 1) * chunk > MAX_LAST_CHUNK)
    return DESC_CHUNK;

  return NULL;
}

void
emu_handle_video_init (Emulator          *self,
                       SoupServerMessage *msg,
                       GHashTable        *query,
                       Grant             *grant)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GList) members = NULL;
  g_autofree char *upload_url = NULL;
  JsonObject *source_info;
  const char *source;
  const char *problem;
  gint64 size = 0, chunk = 0, count = 0;
  Draft *draft;
  GList *l;
  guint i;

  body = emu_parse_json_body (msg);
  if (body == NULL)
    return;

  members = json_object_get_members (body);
  for (l = members; l != NULL; l = l->next)
    {
      if (!g_str_equal (l->data, "source_info"))
        {
          g_autofree char *message =
            g_strdup_printf ("Field %s is not allowed: inbox drafts take source_info only",
                             (const char *) l->data);

          emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params", message);
          return;
        }
    }

  source_info = emu_json_get_object (body, "source_info");
  source = emu_json_get_string (source_info, "source");
  if (source_info == NULL || source == NULL)
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "source_info.source is required");
      return;
    }

  if (g_str_equal (source, "PULL_FROM_URL"))
    {
      if (!emu_url_is_verified (self, emu_json_get_string (source_info, "video_url")))
        {
          emu_send_error (msg, SOUP_STATUS_FORBIDDEN, "url_ownership_unverified",
                          "The video URL is not under a verified domain or URL prefix.");
          return;
        }
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "video pull is not emulated");
      return;
    }

  if (!g_str_equal (source, "FILE_UPLOAD"))
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "source_info.source must be FILE_UPLOAD or PULL_FROM_URL");
      return;
    }

  if (!emu_json_get_int (source_info, "video_size", &size) ||
      !emu_json_get_int (source_info, "chunk_size", &chunk) ||
      !emu_json_get_int (source_info, "total_chunk_count", &count))
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "video_size, chunk_size and total_chunk_count must be integers");
      return;
    }

  problem = check_chunk_plan (size, chunk, count);
  if (problem != NULL)
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params", problem);
      return;
    }

  if (!emu_pending_gate (self, msg, grant))
    return;

  draft = emu_draft_new (self, KIND_VIDEO, grant, "v_inbox_file~v2.");
  draft->status = EMU_STATUS_UPLOAD;
  draft->upload_id = emu_random_digits (19);
  draft->upload_token = emu_random_b64url (32);
  draft->upload_expires_at = g_get_monotonic_time () + self->upload_url_ttl * G_USEC_PER_SEC;
  draft->video_size = size;
  draft->chunk_size = chunk;
  draft->total_chunk_count = count;
  draft->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_hash_table_insert (self->drafts_by_upload_id, draft->upload_id, draft);

  /* How often this exact file plan was initialised (re-inits show up here). */
  for (i = 0; i < self->drafts->len; i++)
    {
      Draft *other = g_ptr_array_index (self->drafts, i);

      if (other->kind == KIND_VIDEO && other->video_size == size &&
          other->chunk_size == chunk && other->total_chunk_count == count)
        draft->inits_for_this_draft++;
    }

  upload_url = g_strdup_printf ("%s/upload/video/?upload_id=%s&upload_token=%s",
                                self->base_url, draft->upload_id, draft->upload_token);
  data = json_object_new ();
  json_object_set_string_member (data, "publish_id", draft->publish_id);
  json_object_set_string_member (data, "upload_url", upload_url);
  emu_send_ok (msg, data);
}

/* ------------------------------------------------------------------ */
/* upload PUT (streamed, never accumulated)                             */
/* ------------------------------------------------------------------ */

static void
put_context_free (gpointer data)
{
  PutContext *ctx = data;

  g_clear_pointer (&ctx->work, g_checksum_free);
  g_free (ctx->publish_id);
  g_free (ctx);
}

static void
set_progress_range (SoupServerMessage *msg,
                    Draft             *draft)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *value = NULL;

  if (draft->uploaded_bytes > 0)
    value = g_strdup_printf ("bytes 0-%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                             draft->uploaded_bytes - 1, draft->video_size);
  else
    value = g_strdup_printf ("bytes */%" G_GINT64_FORMAT, draft->video_size);
  soup_message_headers_replace (headers, "Content-Range", value);
}

static void
upload_reject (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message,
               Draft             *draft)
{
  emu_send_error (msg, status, code, message);
  if (draft != NULL && status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE)
    set_progress_range (msg, draft);
  /* The body may never be sent (Expect: 100-continue); do not reuse. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
}

/* Strict "bytes FIRST-LAST/TOTAL", decimal, no spaces inside. */
static gboolean
parse_content_range (const char *value,
                     gint64     *first,
                     gint64     *last,
                     gint64     *total)
{
  gint64 *outs[3] = { first, last, total };
  const char seps[3] = { '-', '/', '\0' };
  const char *p;
  guint i;

  if (value == NULL || !g_str_has_prefix (value, "bytes "))
    return FALSE;

  p = value + 6;
  for (i = 0; i < 3; i++)
    {
      guint64 n = 0;
      guint digits = 0;

      while (g_ascii_isdigit (*p))
        {
          if (digits++ > 15)
            return FALSE;
          n = n * 10 + (guint64) (*p - '0');
          p++;
        }
      if (digits == 0 || *p != seps[i])
        return FALSE;
      *outs[i] = (gint64) n;
      if (seps[i] != '\0')
        p++;
    }

  return *first <= *last;
}

static void
upload_got_chunk_cb (SoupServerMessage *msg,
                     GBytes            *chunk,
                     gpointer           user_data)
{
  PutContext *ctx = user_data;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (chunk, &len);

  if (ctx->aborted)
    return;

  if (ctx->head_len < sizeof ctx->head)
    {
      gsize n = MIN (len, sizeof ctx->head - ctx->head_len);

      memcpy (ctx->head + ctx->head_len, data, n);
      ctx->head_len += n;
    }

  g_checksum_update (ctx->work, data, (gssize) len);
  ctx->received += (gint64) len;

  if (ctx->reset_at >= 0 && ctx->received >= ctx->reset_at)
    {
      GSocket *socket = soup_server_message_get_socket (msg);

      ctx->aborted = TRUE;
      if (socket != NULL)
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
    }
}

static void
upload_finished_cb (SoupServerMessage *msg,
                    gpointer           user_data)
{
  PutContext *ctx = user_data;
  Draft *draft = g_hash_table_lookup (ctx->emu->drafts_by_id, ctx->publish_id);

  if (draft != NULL)
    draft->put_in_progress = FALSE;
}

void
emu_upload_early_handler (SoupServer        *server,
                          SoupServerMessage *msg,
                          const char        *path,
                          GHashTable        *query,
                          gpointer           user_data)
{
  Emulator *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *upload_id = query != NULL ? g_hash_table_lookup (query, "upload_id") : NULL;
  const char *upload_token = query != NULL ? g_hash_table_lookup (query, "upload_token") : NULL;
  gint64 first = 0, last = 0, total = 0, start, end;
  guint64 index;
  PutContext *ctx;
  Draft *draft;

  if (emu_cut_if_outage (self, msg))
    return;

  /* Whatever happens, never keep an upload body in memory. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);

  if (!g_str_equal (path, "/upload/video/"))
    {
      upload_reject (msg, SOUP_STATUS_NOT_FOUND, "not_found", "Not found", NULL);
      return;
    }

  if (!g_str_equal (soup_server_message_get_method (msg), "PUT"))
    {
      upload_reject (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_params",
                     "Only PUT is allowed", NULL);
      return;
    }

  self->counts[COUNT_PUTS]++;

  draft = upload_id != NULL ? g_hash_table_lookup (self->drafts_by_upload_id, upload_id) : NULL;
  if (draft == NULL || upload_token == NULL || !g_str_equal (upload_token, draft->upload_token))
    {
      upload_reject (msg, SOUP_STATUS_NOT_FOUND, "invalid_params",
                     "No upload task for this URL", NULL);
      return;
    }

  draft->put_attempts++;

  if (draft->upload_expires_at <= g_get_monotonic_time ())
    {
      upload_reject (msg, SOUP_STATUS_FORBIDDEN, "invalid_params",
                     "The upload URL has expired", NULL);
      return;
    }

  if (!emu_content_type_is (msg, "video/mp4", FALSE) &&
      !emu_content_type_is (msg, "video/quicktime", FALSE) &&
      !emu_content_type_is (msg, "video/webm", FALSE))
    {
      upload_reject (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                     "Content-Type must be video/mp4, video/quicktime or video/webm", NULL);
      return;
    }

  if (!parse_content_range (soup_message_headers_get_one (headers, "Content-Range"),
                            &first, &last, &total))
    {
      upload_reject (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                     "Content-Range must be \"bytes FIRST-LAST/TOTAL\"", NULL);
      return;
    }

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH ||
      soup_message_headers_get_one (headers, "Content-Length") == NULL ||
      soup_message_headers_get_content_length (headers) != last - first + 1)
    {
      upload_reject (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                     "Content-Length must equal the length of Content-Range", NULL);
      return;
    }

  /* The range must be exactly the next planned chunk. */
  index = (guint64) (draft->uploaded_bytes / draft->chunk_size);
  start = (gint64) index * draft->chunk_size;
  end = ((gint64) index == draft->total_chunk_count - 1) ?
        draft->video_size - 1 : start + draft->chunk_size - 1;
  if (total != draft->video_size || draft->upload_complete || draft->put_in_progress ||
      first != draft->uploaded_bytes || first != start || last != end)
    {
      upload_reject (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, "invalid_params",
                     "Content-Range does not match the upload progress", draft);
      return;
    }

  ctx = g_new0 (PutContext, 1);
  ctx->emu = self;
  ctx->publish_id = g_strdup (draft->publish_id);
  ctx->work = g_checksum_copy (draft->checksum);
  ctx->first = first;
  ctx->last = last;
  ctx->expected = last - first + 1;
  ctx->reset_at = -1;
  if (emu_take_fault (self, "reset-mid-chunk"))
    ctx->reset_at = MAX (ctx->expected / 2, 1);
  else if (emu_take_fault (self, "upload-5xx"))
    ctx->fail_500 = TRUE;

  g_free (draft->content_type);
  draft->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  draft->put_in_progress = TRUE;

  g_object_set_data_full (G_OBJECT (msg), "ttd-put", ctx, put_context_free);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (upload_got_chunk_cb), ctx);
  g_signal_connect (msg, "finished", G_CALLBACK (upload_finished_cb), ctx);
}

/* Runs once the whole body has arrived (only if the early handler accepted). */
void
emu_upload_handler (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  Emulator *self = user_data;
  PutContext *ctx = g_object_get_data (G_OBJECT (msg), "ttd-put");
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  g_autofree char *range = NULL;
  Draft *draft;

  if (g_object_get_data (G_OBJECT (msg), "ttd-cut") != NULL)
    return;

  if (ctx == NULL)
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params", "Bad upload request");
      return;
    }

  draft = g_hash_table_lookup (self->drafts_by_id, ctx->publish_id);
  if (draft == NULL)
    {
      emu_send_error (msg, SOUP_STATUS_NOT_FOUND, "invalid_params", "No upload task for this URL");
      return;
    }

  if (ctx->aborted)
    {
      /* The socket is already shut down; nothing will reach the client. */
      emu_send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error", "Connection reset");
      return;
    }

  if (ctx->received != ctx->expected)
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "The body length does not match Content-Length");
      return;
    }

  if (ctx->fail_500)
    {
      emu_send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                      "Something went wrong. Please try again later.");
      return;
    }

  /* Commit the chunk. */
  g_checksum_free (draft->checksum);
  draft->checksum = g_steal_pointer (&ctx->work);
  if (ctx->first == 0)
    {
      memcpy (draft->head, ctx->head, ctx->head_len);
      draft->head_len = ctx->head_len;
    }
  draft->uploaded_bytes += ctx->expected;
  draft->chunks_received++;

  /* The upload URL runs out right after the second chunk: at a known
   * point, however fast or slow the client is. */
  if (draft->chunks_received == 2 && draft->uploaded_bytes < draft->video_size &&
      emu_take_fault (self, "expire-upload-url-after-2-chunks"))
    draft->upload_expires_at = MIN (draft->upload_expires_at, g_get_monotonic_time () - 1);

  range = g_strdup_printf ("bytes 0-%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                           ctx->last, draft->video_size);
  soup_message_headers_replace (response_headers, "Content-Range", range);

  if (draft->uploaded_bytes == draft->video_size)
    {
      draft->upload_complete = TRUE;
      draft->sha256 = g_strdup (g_checksum_get_string (draft->checksum));
      emu_draft_start_processing (draft);
      soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
    }
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
    }
}
