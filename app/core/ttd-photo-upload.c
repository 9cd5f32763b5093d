/* ttd-photo-upload.c — a photo slideshow to the drafts inbox
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-error.h"
#include "ttd-image-convert.h"
#include "ttd-media.h"
#include "ttd-photo-host.h"
#include "ttd-photo-upload.h"
#include "ttd-secure.h"
#include "ttd-upload-private.h"
#include "ttd-wait.h"

/* convert (in parallel) → PUT each JPEG to the photo host and check its
 * public URL serves the same bytes → content/init with MEDIA_UPLOAD →
 * poll until TikTok has pulled them → delete the hosted copies. */


G_DEFINE_BOXED_TYPE (TtdSlideshow, ttd_slideshow, ttd_slideshow_copy, ttd_slideshow_free)

TtdSlideshow *
ttd_slideshow_new (void)
{
  TtdSlideshow *self = g_new0 (TtdSlideshow, 1);

  self->images = g_ptr_array_new_with_free_func (g_object_unref);

  return self;
}

TtdSlideshow *
ttd_slideshow_copy (const TtdSlideshow *self)
{
  TtdSlideshow *copy = ttd_slideshow_new ();

  for (guint i = 0; i < self->images->len; i++)
    g_ptr_array_add (copy->images, g_object_ref (g_ptr_array_index (self->images, i)));
  copy->title = g_strdup (self->title);
  copy->description = g_strdup (self->description);
  copy->cover_index = self->cover_index;

  return copy;
}

void
ttd_slideshow_free (TtdSlideshow *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->images);
  g_free (self->title);
  g_free (self->description);
  g_free (self);
}

/* TikTok counts text limits in UTF-16 code units (an emoji is two). */
glong
ttd_utf16_length (const char *text)
{
  glong units = 0;

  if (text == NULL)
    return 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    units += g_utf8_get_char (p) > 0xFFFF ? 2 : 1;

  return units;
}

/**
 * ttd_slideshow_check_limits:
 *
 * TikTok's limits on a slideshow's photo count, title, description and
 * cover (tiktok-api.md §6), without looking at the files: no I/O, so the
 * main loop may call it. Each message states the limit.
 */
gboolean
ttd_slideshow_check_limits (const TtdSlideshow  *self,
                            GError             **error)
{
  glong title = ttd_utf16_length (self->title);
  glong description = ttd_utf16_length (self->description);

  if (self->images->len == 0)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_PARAMS,
                   _("A slideshow needs at least one photo."));
      return FALSE;
    }

  if (self->images->len > TTD_SLIDESHOW_MAX_IMAGES)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_PARAMS,
                   /* Translators: the plural follows the first number, the limit */
                   g_dngettext (GETTEXT_PACKAGE,
                                "A slideshow can have at most %d photo; this one has %u. Remove some and try again.",
                                "A slideshow can have at most %d photos; this one has %u. Remove some and try again.",
                                TTD_SLIDESHOW_MAX_IMAGES),
                   TTD_SLIDESHOW_MAX_IMAGES, self->images->len);
      return FALSE;
    }

  if ((self->title != NULL && !g_utf8_validate (self->title, -1, NULL)) ||
      (self->description != NULL && !g_utf8_validate (self->description, -1, NULL)))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_PARAMS,
                   _("The title or description is not valid text (UTF-8)."));
      return FALSE;
    }

  if (title > TTD_SLIDESHOW_TITLE_MAX)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_PARAMS,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The title is %ld character long; TikTok allows at most %d (emoji count as two).",
                                "The title is %ld characters long; TikTok allows at most %d (emoji count as two).",
                                title),
                   title, TTD_SLIDESHOW_TITLE_MAX);
      return FALSE;
    }

  if (description > TTD_SLIDESHOW_DESCRIPTION_MAX)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_PARAMS,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The description is %ld character long; TikTok allows at most %d (emoji count as two).",
                                "The description is %ld characters long; TikTok allows at most %d (emoji count as two).",
                                description),
                   description, TTD_SLIDESHOW_DESCRIPTION_MAX);
      return FALSE;
    }

  if (self->cover_index >= self->images->len)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_PARAMS,
                   _("The cover must be one of the slideshow's photos: a number from 0 to %u (it was %u)."),
                   self->images->len - 1, self->cover_index);
      return FALSE;
    }

  return TRUE;
}

/**
 * ttd_slideshow_check:
 *
 * The limits that can be checked before anything is converted, hosted or
 * sent: ttd_slideshow_check_limits(), then that each photo is a readable
 * file. This looks at the files.
 */
gboolean
ttd_slideshow_check (const TtdSlideshow  *self,
                     GError             **error)
{
  if (!ttd_slideshow_check_limits (self, error))
    return FALSE;

  for (guint i = 0; i < self->images->len; i++)
    {
      GFile *file = g_ptr_array_index (self->images, i);
      g_autoptr(GFileInfo) info = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *name = ttd_media_dup_display_name (file);

      info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_ACCESS_CAN_READ,
                                G_FILE_QUERY_INFO_NONE, NULL, &local_error);
      if (info == NULL)
        {
          g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                       g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                         ? _("“%s” does not exist. Check the file name.")
                         : _("“%s” could not be read."),
                       name);
          return FALSE;
        }

      if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR ||
          (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ) &&
           !g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ)))
        {
          g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                       _("“%s” is not a readable picture file."), name);
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
ttd_photo_host_check (const TtdConfig  *config,
                      GError          **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(TtdPhotoHost) host = ttd_photo_host_new (config, session, error);

  return host != NULL;
}

typedef struct
{
  TtdUploadProgressFunc progress;
  gpointer              data;
  GMutex                lock;
  gint64                done;
  gint64                total;
} Progress;

static void
report (Progress       *progress,
        TtdUploadPhase  phase,
        gint64          done,
        gint64          total,
        const char     *publish_id)
{
  TtdUploadProgress p = { phase, done, total, publish_id, NULL };

  if (progress->progress != NULL)
    progress->progress (&p, progress->data);
}

static void
converted_cb (guint    index,
              gpointer data)
{
  Progress *progress = data;
  gint64 done;

  g_mutex_lock (&progress->lock);
  done = ++progress->done;
  g_mutex_unlock (&progress->lock);

  report (progress, TTD_UPLOAD_PHASE_CONVERTING, done, progress->total, NULL);
}

typedef struct
{
  const TtdSlideshow  *slideshow;
  const char * const  *urls;
} InitCall;

static gpointer
init_call (TtdApiClient  *client,
           const char    *token,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  InitCall *call = data;

  return ttd_api_client_init_photo_draft (client, token, call->slideshow->title,
                                          call->slideshow->description, call->urls,
                                          call->slideshow->cover_index, cancellable, error);
}

static void
delete_hosted (TtdPhotoHost *host,
               GPtrArray    *names)
{
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GError) error = NULL;

      /* Not cancellable: cleaning up must happen even after a cancel. */
      if (!ttd_photo_host_delete (host, g_ptr_array_index (names, i), NULL, &error))
        g_warning ("A hosted photo could not be deleted now; it will be on the next start: %s",
                   error->message);
    }
  g_ptr_array_set_size (names, 0);
}

/**
 * ttd_account_upload_slideshow:
 *
 * Blocks; run it in a worker thread. Hosted copies are deleted once TikTok
 * is past downloading them, when anything fails, and otherwise on the
 * next start (see ttd_photo_host_clean_leftovers()).
 *
 * Returns: (transfer full): the result, also when TikTok reported FAILED.
 */
TtdUploadResult *
ttd_account_upload_slideshow (TtdAccount            *account,
                              const TtdSlideshow    *slideshow,
                              TtdUploadFlags         flags,
                              TtdUploadProgressFunc  progress_func,
                              gpointer               progress_data,
                              GCancellable          *cancellable,
                              GError               **error)
{
  const TtdConfig *config = ttd_account_get_config (account);
  SoupSession *session = ttd_api_client_get_session (ttd_account_get_client (account));
  g_autoptr(TtdPhotoHost) host = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *publish_id = NULL;
  Progress progress = { progress_func, progress_data };
  TtdUploadResult *result = NULL;
  gint64 total_bytes = 0;
  gint64 sent_bytes = 0;
  InitCall call;

  g_return_val_if_fail (TTD_IS_ACCOUNT (account), NULL);

  report (&progress, TTD_UPLOAD_PHASE_CHECKING, 0, 0, NULL);

  if (!ttd_slideshow_check (slideshow, error))
    return NULL;

  host = ttd_photo_host_new (config, session, error);
  if (host == NULL)
    return NULL;

  if (!ttd_account_is_signed_in (account))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED,
                   _("You are not signed in to TikTok. Sign in first."));
      return NULL;
    }

  ttd_photo_host_clean_leftovers (host, cancellable);

  g_mutex_init (&progress.lock);
  progress.total = slideshow->images->len;
  report (&progress, TTD_UPLOAD_PHASE_CONVERTING, 0, progress.total, NULL);
  images = ttd_image_convert_many (slideshow->images, config->jpeg_quality,
                                   converted_cb, &progress, cancellable, error);
  g_mutex_clear (&progress.lock);
  if (images == NULL)
    return NULL;

  for (guint i = 0; i < images->len; i++)
    total_bytes += g_bytes_get_size (((TtdConvertedImage *) g_ptr_array_index (images, i))->jpeg);

  report (&progress, TTD_UPLOAD_PHASE_HOSTING, 0, total_bytes, NULL);
  for (guint i = 0; i < images->len; i++)
    {
      TtdConvertedImage *image = g_ptr_array_index (images, i);
      char *name = ttd_photo_host_new_name (error);

      if (name == NULL)
        goto failed;

      ttd_photo_host_record (ttd_photo_host_get_id (host), name, NULL);
      g_ptr_array_add (names, name);

      if (!ttd_photo_host_put (host, name, image->jpeg, cancellable, error) ||
          !ttd_photo_host_verify (host, name, image->jpeg, cancellable, error))
        goto failed;

      g_ptr_array_add (urls, ttd_photo_host_public_url (host, name));
      sent_bytes += g_bytes_get_size (image->jpeg);
      report (&progress, TTD_UPLOAD_PHASE_HOSTING, sent_bytes, total_bytes, NULL);
    }
  g_ptr_array_add (urls, NULL);

  report (&progress, TTD_UPLOAD_PHASE_STARTING, 0, 0, NULL);
  call.slideshow = slideshow;
  call.urls = (const char * const *) urls->pdata;

  for (guint attempt = 0; publish_id == NULL; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!ttd_account_pace_init (account, cancellable, error))
        goto failed;

      publish_id = ttd_account_call (account, init_call, &call, cancellable, &local_error);
      if (publish_id != NULL)
        break;

      if (attempt < 4 && g_error_matches (local_error, TTD_ERROR, TTD_ERROR_RATE_LIMITED))
        {
          if (!ttd_wait_rate_limited (attempt, cancellable, error))
            goto failed;
          continue;
        }

      if (attempt < 4 && (g_error_matches (local_error, TTD_ERROR, TTD_ERROR_SERVER) ||
                          g_error_matches (local_error, TTD_ERROR, TTD_ERROR_NETWORK)))
        {
          if (!ttd_wait_for_network (cancellable, error) ||
              !ttd_sleep_cancellable (1000u << attempt, cancellable, error))
            goto failed;
          continue;
        }

      g_propagate_error (error, g_steal_pointer (&local_error));
      goto failed;
    }

  for (guint i = 0; i < names->len; i++)
    ttd_photo_host_record (ttd_photo_host_get_id (host), g_ptr_array_index (names, i), publish_id);

  result = g_new0 (TtdUploadResult, 1);
  result->publish_id = g_strdup (publish_id);

  if (flags & TTD_UPLOAD_FLAGS_WAIT)
    {
      report (&progress, TTD_UPLOAD_PHASE_PROCESSING, 0, 0, publish_id);
      if (!_ttd_upload_result_wait (result, account, progress_func, progress_data,
                                    cancellable, error))
        {
          /* TikTok may still be pulling: keep the copies for the next start. */
          g_clear_pointer (&result, ttd_upload_result_free);
          return NULL;
        }

      /* Past PROCESSING_DOWNLOAD (delivered, or failed): TikTok has what it
       * needs, or never will. */
      if (g_strcmp0 (result->status, TTD_STATUS_PROCESSING_DOWNLOAD) != 0)
        delete_hosted (host, names);
    }

  report (&progress, TTD_UPLOAD_PHASE_DONE, 0, 0, publish_id);
  return result;

failed:
  delete_hosted (host, names);
  return NULL;
}

static TtdUploadResult *
run_slideshow (TtdAccount            *account,
               gpointer               job,
               TtdUploadFlags         flags,
               TtdUploadProgressFunc  progress,
               gpointer               progress_data,
               GCancellable          *cancellable,
               GError               **error)
{
  return ttd_account_upload_slideshow (account, job, flags, progress, progress_data, cancellable, error);
}

/**
 * ttd_account_upload_slideshow_async:
 * @progress: (nullable): called in the caller's thread-default main context
 *
 * ttd_account_upload_slideshow() in a worker thread; @account is the
 * source object of the result.
 */
void
ttd_account_upload_slideshow_async (TtdAccount            *account,
                                    const TtdSlideshow    *slideshow,
                                    TtdUploadFlags         flags,
                                    TtdUploadProgressFunc  progress,
                                    gpointer               progress_data,
                                    GDestroyNotify         progress_destroy,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_return_if_fail (TTD_IS_ACCOUNT (account));
  g_return_if_fail (slideshow != NULL);

  _ttd_upload_run_async (account, run_slideshow, ttd_slideshow_copy (slideshow),
                         (GDestroyNotify) ttd_slideshow_free, flags,
                         progress, progress_data, progress_destroy, cancellable,
                         callback, user_data, ttd_account_upload_slideshow_async);
}

TtdUploadResult *
ttd_account_upload_slideshow_finish (TtdAccount    *account,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _ttd_upload_run_finish (account, result, ttd_account_upload_slideshow_async, error);
}
