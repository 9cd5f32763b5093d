/* ttd-draft-session-intake.c — files into the session: videos and slideshow pictures
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every way in (a drop, paste, Browse, Open With, the command line) ends
 * in ttd_draft_session_add_files(): a worker thread expands folders and
 * sniffs each file's content, then the main loop turns videos into drafts
 * and pictures into the slideshow, and names what it refused.
 *
 * Other programs (the D-Bus API) come in through
 * ttd_draft_session_add_files_async() in one of the strict modes: the same
 * checks, but all or nothing, and the first problem is the error.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ttd-thumbnail.h"
#include "ttd-draft-session-private.h"

#define MAX_DEPTH       4      /* folders inside folders */
#define MAX_FILES       500
#define THUMBNAIL_SIZE  128    /* shown at 64 px; enough for 2× scaling */
#define MAX_IMAGES      35     /* TikTok's limit for one slideshow */

typedef struct
{
  GFile        *file;
  TtdMediaKind  kind;
  gint64        size;
} Found;

typedef struct
{
  TtdIntakeMode  mode;
  GPtrArray     *files;     /* GFile, as given */
  GArray        *found;     /* Found */
  GPtrArray     *refused;   /* display names */
  GPtrArray     *errors;    /* messages */
  GError        *problem;   /* strict modes: the first given file that cannot go in */
} Scan;

G_DEFINE_QUARK (ttd-intake-error-quark, ttd_intake_error)

static void
found_clear (gpointer data)
{
  Found *found = data;

  g_clear_object (&found->file);
}

static void
scan_free (Scan *scan)
{
  g_clear_pointer (&scan->files, g_ptr_array_unref);
  g_clear_pointer (&scan->found, g_array_unref);
  g_clear_pointer (&scan->refused, g_ptr_array_unref);
  g_clear_pointer (&scan->errors, g_ptr_array_unref);
  g_clear_error (&scan->problem);
  g_free (scan);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scan, scan_free)

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static char *
dup_not_taken (GFile *file)
{
  g_autofree char *name = ttd_media_dup_display_name (file);

  return g_strdup_printf (ngettext ("Not a video or picture TikTok takes: %s",
                                    "Not videos or pictures TikTok takes: %s", 1), name);
}

/* In the strict modes, the first given file that cannot go in is the
 * intake's error. Takes @message. */
static void
set_problem (Scan           *scan,
             TtdIntakeError  code,
             char           *message)
{
  if (scan->problem == NULL)
    scan->problem = g_error_new_literal (TTD_INTAKE_ERROR, code, message);
  g_free (message);
}

static void
scan_file (Scan         *scan,
           GFile        *file,
           guint         depth,
           gboolean      given,
           GCancellable *cancellable)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;
  Found found = { 0 };

  if (g_cancellable_is_cancelled (cancellable) || scan->found->len >= MAX_FILES)
    return;

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      g_autofree char *where = g_file_get_parse_name (file);

      if (!given)
        return;
      if (scan->mode == TTD_INTAKE_AS_DROP)
        g_ptr_array_add (scan->errors, g_strdup (error->message));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        set_problem (scan, TTD_INTAKE_ERROR_NOT_A_FILE,
                     g_strdup_printf (_("There is no file “%s”."), where));
      else
        set_problem (scan, TTD_INTAKE_ERROR_NOT_A_FILE,
                     g_strdup_printf (_("“%s” could not be read (%s). Check that the file is readable."),
                                      where, error->message));
      return;
    }

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY && scan->mode != TTD_INTAKE_AS_DROP)
    {
      g_autofree char *where = g_file_get_parse_name (file);

      set_problem (scan, TTD_INTAKE_ERROR_NOT_A_FILE,
                   g_strdup_printf (_("“%s” is a folder; give the files in it one by one."), where));
      return;
    }

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_autoptr(GFileEnumerator) children = NULL;
      g_autoptr(GPtrArray) names = NULL;

      if (depth >= MAX_DEPTH)
        return;

      children = g_file_enumerate_children (file,
                                            G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                            G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN,
                                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
      if (children == NULL)
        {
          g_ptr_array_add (scan->errors, g_strdup (error->message));
          return;
        }

      /* In name order, the order a creator numbers their photos in. */
      names = g_ptr_array_new_with_free_func (g_free);
      for (;;)
        {
          GFileInfo *child = NULL;

          if (!g_file_enumerator_iterate (children, &child, NULL, cancellable, NULL) || child == NULL)
            break;
          if (!g_file_info_get_is_hidden (child))
            g_ptr_array_add (names, g_strdup (g_file_info_get_name (child)));
        }
      g_ptr_array_sort (names, compare_names);

      for (guint i = 0; i < names->len; i++)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_ptr_array_index (names, i));

          scan_file (scan, child, depth + 1, FALSE, cancellable);
        }
      return;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      if (given && scan->mode == TTD_INTAKE_AS_DROP)
        g_ptr_array_add (scan->refused, ttd_media_dup_display_name (file));
      else if (given)
        set_problem (scan, TTD_INTAKE_ERROR_UNSUPPORTED, dup_not_taken (file));
      return;
    }

  content_type = ttd_media_sniff (file, cancellable, &error);
  found.kind = ttd_media_kind_for_content_type (content_type);
  if (content_type == NULL || found.kind == TTD_MEDIA_KIND_UNSUPPORTED)
    {
      /* Files inside a dropped folder that are not media are skipped quietly. */
      if (given && scan->mode == TTD_INTAKE_AS_DROP)
        g_ptr_array_add (scan->refused, ttd_media_dup_display_name (file));
      else if (given && content_type == NULL)
        set_problem (scan, TTD_INTAKE_ERROR_NOT_A_FILE, g_strdup (error->message));
      else if (given)
        set_problem (scan, TTD_INTAKE_ERROR_UNSUPPORTED, dup_not_taken (file));
      return;
    }

  found.file = g_object_ref (file);
  found.size = g_file_info_get_size (info);
  g_array_append_val (scan->found, found);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Scan *scan = task_data;

  for (guint i = 0; i < scan->files->len; i++)
    scan_file (scan, g_ptr_array_index (scan->files, i), 0, TRUE, cancellable);

  g_task_return_boolean (task, TRUE);
}

static gboolean
already_queued (TtdDraftSession *self,
                GFile           *file)
{
  GListModel *items = G_LIST_MODEL (self->items);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);
      GListStore *images = ttd_upload_item_get_images (item);

      if (ttd_upload_item_get_state (item) == TTD_QUEUE_STATE_DONE)
        continue;

      if (images != NULL)
        {
          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (images)); j++)
            {
              g_autoptr(TtdUploadItem) image = g_list_model_get_item (G_LIST_MODEL (images), j);

              if (g_file_equal (ttd_upload_item_get_file (image), file))
                return TRUE;
            }
        }
      else if (g_file_equal (ttd_upload_item_get_file (item), file))
        return TRUE;
    }

  return FALSE;
}

static void
thumbnail_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TtdUploadItem) item = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = ttd_thumbnail_load_finish (result, &error);
  if (texture != NULL)
    ttd_upload_item_set_thumbnail (item, GDK_PAINTABLE (texture));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ttd_upload_item_set_problem (item, error->message);
}

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TtdUploadItem) item = user_data;
  g_autoptr(GError) error = NULL;
  gint64 duration_ms;

  /* A video GStreamer cannot read may still be fine for TikTok (a codec
   * plugin may just be missing here), so failure only means "no duration". */
  duration_ms = ttd_thumbnail_probe_video_finish (result, &error);
  if (duration_ms >= 0)
    ttd_upload_item_set_duration_ms (item, duration_ms);
  else if (error != NULL)
    g_debug ("%s", error->message);
}

static TtdUploadItem *
ensure_slideshow (TtdDraftSession *self)
{
  GListModel *items = G_LIST_MODEL (self->items);
  g_autoptr(TtdUploadItem) slideshow = NULL;

  /* Add to the slideshow that has not been sent yet, else start another. */
  for (guint i = g_list_model_get_n_items (items); i > 0; i--)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i - 1);

      if (ttd_upload_item_get_kind (item) == TTD_UPLOAD_ITEM_SLIDESHOW &&
          (ttd_upload_item_get_state (item) == TTD_QUEUE_STATE_QUEUED ||
           ttd_upload_item_get_state (item) == TTD_QUEUE_STATE_FAILED))
        return item;
    }

  slideshow = ttd_upload_item_new_slideshow ();
  g_list_store_append (self->items, slideshow);

  return slideshow;
}

/* Appends a video to the list and starts finding its duration.
 * Returns: (transfer none): the new item */
TtdUploadItem *
_ttd_draft_session_add_video (TtdDraftSession *self,
                              GFile           *file,
                              gint64           size)
{
  g_autoptr(TtdUploadItem) item = ttd_upload_item_new_video (file, size);

  g_list_store_append (self->items, item);
  ttd_thumbnail_probe_video_async (file, self->cancellable, probe_cb, g_object_ref (item));

  return item;
}

/* A picture for a slideshow, its thumbnail on the way; the caller adds it
 * (pictures are added together, with g_list_store_splice()). */
TtdUploadItem *
_ttd_draft_session_new_image (TtdDraftSession *self,
                              GFile           *file,
                              gint64           size)
{
  TtdUploadItem *item = ttd_upload_item_new_image (file, size);

  ttd_thumbnail_load_async (file, THUMBNAIL_SIZE, self->cancellable, thumbnail_cb,
                            g_object_ref (item));

  return item;
}

static gboolean
in_items (GPtrArray *items,
          GFile     *file)
{
  for (guint i = 0; i < items->len; i++)
    if (g_file_equal (ttd_upload_item_get_file (g_ptr_array_index (items, i)), file))
      return TRUE;

  return FALSE;
}

/* As a drop: what can go in goes in, and the rest is named in messages.
 * Returns: (transfer full): the top-level items that got something */
static GPtrArray *
take_as_drop (TtdDraftSession *self,
              Scan            *scan)
{
  g_autoptr(GPtrArray) duplicates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_too_many = 0;
  g_autoptr(GPtrArray) new_images = g_ptr_array_new_with_free_func (g_object_unref);
  GListStore *images = NULL;

  for (guint i = 0; i < scan->found->len; i++)
    {
      Found *found = &g_array_index (scan->found, Found, i);

      if (already_queued (self, found->file) || in_items (new_images, found->file))
        {
          g_ptr_array_add (duplicates, ttd_media_dup_display_name (found->file));
          continue;
        }

      if (found->kind == TTD_MEDIA_KIND_VIDEO)
        g_ptr_array_add (taken, g_object_ref (_ttd_draft_session_add_video (self, found->file, found->size)));
      else
        {
          TtdUploadItem *slideshow = ensure_slideshow (self);

          images = ttd_upload_item_get_images (slideshow);
          if (g_list_model_get_n_items (G_LIST_MODEL (images)) + new_images->len >= MAX_IMAGES)
            {
              n_too_many++;
              continue;
            }

          /* Added below, all at once. */
          g_ptr_array_add (new_images, _ttd_draft_session_new_image (self, found->file, found->size));
          if (!g_ptr_array_find (taken, slideshow, NULL))
            g_ptr_array_add (taken, g_object_ref (slideshow));
        }
    }

  /* One items-changed for all the pictures instead of one per picture:
   * everything that follows the slideshow (its size, its row's header and
   * tiles, the saved queue) then updates once, not once per picture. */
  if (new_images->len > 0)
    g_list_store_splice (images, g_list_model_get_n_items (G_LIST_MODEL (images)), 0,
                         new_images->pdata, new_images->len);

  if (scan->refused->len > 0)
    {
      g_autofree char *names = NULL;
      g_autofree char *message = NULL;

      g_ptr_array_add (scan->refused, NULL);
      /* Translators: the separator between file names in a list */
      names = g_strjoinv (_(", "), (char **) scan->refused->pdata);
      message = g_strdup_printf (ngettext ("Not a video or picture TikTok takes: %s",
                                           "Not videos or pictures TikTok takes: %s",
                                           scan->refused->len - 1), names);
      _ttd_draft_session_message (self, message);
    }

  if (duplicates->len > 0)
    {
      g_autofree char *names = NULL;
      g_autofree char *message = NULL;

      g_ptr_array_add (duplicates, NULL);
      names = g_strjoinv (_(", "), (char **) duplicates->pdata);
      message = g_strdup_printf (_("Already in the list: %s"), names);
      _ttd_draft_session_message (self, message);
    }

  if (n_too_many > 0)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (ngettext ("A slideshow can have at most %d photos; %u was left out.",
                                           "A slideshow can have at most %d photos; %u were left out.",
                                           n_too_many), MAX_IMAGES, n_too_many);
      _ttd_draft_session_message (self, message);
    }

  for (guint i = 0; i < scan->errors->len; i++)
    _ttd_draft_session_message (self, g_ptr_array_index (scan->errors, i));

  return g_steal_pointer (&taken);
}

/* The strict modes: nothing goes in unless everything can.
 * Returns: (transfer full): the new videos, or the new slideshow */
static GPtrArray *
take_strict (TtdDraftSession  *self,
             Scan             *scan,
             GError          **error)
{
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_object_unref);

  if (scan->problem != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&scan->problem));
      return NULL;
    }

  for (guint i = 0; i < scan->found->len; i++)
    {
      Found *found = &g_array_index (scan->found, Found, i);
      g_autofree char *name = ttd_media_dup_display_name (found->file);
      gboolean twice = FALSE;

      for (guint j = 0; j < i; j++)
        twice = twice || g_file_equal (g_array_index (scan->found, Found, j).file, found->file);

      if (twice || already_queued (self, found->file))
        {
          g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_ALREADY_QUEUED,
                       _("Already in the list: %s"), name);
          return NULL;
        }
      if (scan->mode == TTD_INTAKE_VIDEOS && found->kind != TTD_MEDIA_KIND_VIDEO)
        {
          g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_WRONG_KIND,
                       _("“%s” is a picture, not a video; pictures are sent together as a slideshow."),
                       name);
          return NULL;
        }
      if (scan->mode == TTD_INTAKE_SLIDESHOW && found->kind != TTD_MEDIA_KIND_IMAGE)
        {
          g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_WRONG_KIND,
                       _("“%s” is a video; a slideshow is made of pictures only."), name);
          return NULL;
        }
    }

  if (scan->found->len == 0)
    {
      g_set_error_literal (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE,
                           _("No files were given."));
      return NULL;
    }

  if (scan->mode == TTD_INTAKE_SLIDESHOW && scan->found->len > MAX_IMAGES)
    {
      g_set_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_TOO_MANY,
                   _("A slideshow can have at most %d photos, not %u."), MAX_IMAGES, scan->found->len);
      return NULL;
    }

  if (scan->mode == TTD_INTAKE_VIDEOS)
    {
      for (guint i = 0; i < scan->found->len; i++)
        {
          Found *found = &g_array_index (scan->found, Found, i);

          g_ptr_array_add (taken, g_object_ref (_ttd_draft_session_add_video (self, found->file,
                                                                              found->size)));
        }
    }
  else
    {
      g_autoptr(TtdUploadItem) slideshow = ttd_upload_item_new_slideshow ();
      g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < scan->found->len; i++)
        {
          Found *found = &g_array_index (scan->found, Found, i);

          g_ptr_array_add (images, _ttd_draft_session_new_image (self, found->file, found->size));
        }
      /* Complete before it joins the list, so it is never seen empty. */
      g_list_store_splice (ttd_upload_item_get_images (slideshow), 0, 0, images->pdata, images->len);
      g_list_store_append (self->items, slideshow);
      g_ptr_array_add (taken, g_steal_pointer (&slideshow));
    }

  return g_steal_pointer (&taken);
}

static void
scan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TtdDraftSession *self = TTD_DRAFT_SESSION (object);
  g_autoptr(GTask) task = user_data;
  Scan *scan = g_task_get_task_data (G_TASK (result));
  GPtrArray *taken;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) || self->items == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The session is gone");
      g_task_return_error (task, error);
      return;
    }

  if (scan->mode == TTD_INTAKE_AS_DROP)
    taken = take_as_drop (self, scan);
  else
    taken = take_strict (self, scan, &error);

  if (taken == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, taken, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * ttd_draft_session_add_files_async:
 * @files: (array length=n_files): files (and, as a drop, folders)
 * @mode: as a drop, or all or nothing for other programs
 *
 * Judges each file by its content in a worker thread, then adds what it
 * found to the session. See #TtdIntakeMode. Finish with
 * ttd_draft_session_add_files_finish().
 */
void
ttd_draft_session_add_files_async (TtdDraftSession      *self,
                                   GFile               **files,
                                   guint                 n_files,
                                   TtdIntakeMode         mode,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) scan_task = NULL;
  g_autoptr(Scan) scan = NULL;

  g_return_if_fail (TTD_IS_DRAFT_SESSION (self));
  g_return_if_fail (files != NULL || n_files == 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ttd_draft_session_add_files_async);

  scan = g_new0 (Scan, 1);
  scan->mode = mode;
  scan->files = g_ptr_array_new_with_free_func (g_object_unref);
  scan->found = g_array_new (FALSE, TRUE, sizeof (Found));
  g_array_set_clear_func (scan->found, found_clear);
  scan->refused = g_ptr_array_new_with_free_func (g_free);
  scan->errors = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (scan->files, g_object_ref (files[i]));

  /* The scan follows the session's cancellable: it stops when the session goes. */
  scan_task = g_task_new (self, self->cancellable, scan_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (scan_task, scan_thread);
  g_task_set_task_data (scan_task, g_steal_pointer (&scan), (GDestroyNotify) scan_free);
  g_task_run_in_thread (scan_task, scan_thread);
}

/**
 * ttd_draft_session_add_files_finish:
 *
 * Returns: (transfer container) (element-type TtdUploadItem): the items
 *   that were added or got pictures; %NULL with @error (in the
 *   %TTD_INTAKE_ERROR domain, one sentence) when a strict intake refused
 *   the files, and nothing was added
 */
GPtrArray *
ttd_draft_session_add_files_finish (TtdDraftSession  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ttd_draft_session_add_files:
 * @files: (array length=n_files): files and folders
 *
 * Adds files and folders to the queue, the same way whether they were
 * dropped, pasted, browsed for or opened with the app: folders are expanded
 * (in name order, four levels deep, hidden files and what is not media
 * skipped), each file is judged by its content, videos become drafts and
 * pictures join the slideshow not sent yet. What is refused, already
 * queued or one picture too many is said in a #TtdDraftSession::message.
 */
void
ttd_draft_session_add_files (TtdDraftSession  *self,
                             GFile           **files,
                             guint             n_files)
{
  g_return_if_fail (TTD_IS_DRAFT_SESSION (self));

  if (n_files == 0)
    return;

  ttd_draft_session_add_files_async (self, files, n_files, TTD_INTAKE_AS_DROP, NULL, NULL, NULL);
}
