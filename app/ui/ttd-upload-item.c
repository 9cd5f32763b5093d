/* ttd-upload-item.c — one thing to send: a video draft, a slideshow, or one of its pictures
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The queue is a GListStore of these; rows watch their item's notify signals.
 * A slideshow item owns a GListStore of image items, in posting order.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ttd-core.h"
#include "ttd-upload-item.h"


struct _TtdUploadItem
{
  GObject            parent_instance;

  TtdUploadItemKind  kind;
  GFile             *file;
  char              *display_name;
  gint64             size;
  GListStore        *images;

  TtdQueueState      state;
  double             fraction;
  char              *status;
  char              *error;
  char              *publish_id;
  char              *open_id;       /* the account it is for, once sent */
  char              *account_name;  /* that account's name, when not the window's */
  gint64             next_try_at;   /* queued, held back by TikTok until then */

  GdkPaintable      *thumbnail;
  gint64             duration_ms;
  char              *problem;

  char              *title;
  char              *description;
  guint              cover_index;
};

G_DEFINE_FINAL_TYPE (TtdUploadItem, ttd_upload_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_STATE,
  PROP_FRACTION,
  PROP_STATUS,
  PROP_ERROR,
  PROP_PUBLISH_ID,
  PROP_THUMBNAIL,
  PROP_DURATION_MS,
  PROP_PROBLEM,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_COVER_INDEX,
  PROP_NEXT_TRY_AT,
  PROP_ACCOUNT_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ttd_upload_item_finalize (GObject *object)
{
  TtdUploadItem *self = TTD_UPLOAD_ITEM (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_object (&self->images);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->publish_id, g_free);
  g_clear_pointer (&self->open_id, g_free);
  g_clear_pointer (&self->account_name, g_free);
  g_clear_object (&self->thumbnail);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (ttd_upload_item_parent_class)->finalize (object);
}

static void
ttd_upload_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TtdUploadItem *self = TTD_UPLOAD_ITEM (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_PUBLISH_ID:
      g_value_set_string (value, self->publish_id);
      break;
    case PROP_THUMBNAIL:
      g_value_set_object (value, self->thumbnail);
      break;
    case PROP_DURATION_MS:
      g_value_set_int64 (value, self->duration_ms);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_COVER_INDEX:
      g_value_set_uint (value, self->cover_index);
      break;
    case PROP_ACCOUNT_NAME:
      g_value_set_string (value, self->account_name);
      break;
    case PROP_NEXT_TRY_AT:
      g_value_set_int64 (value, self->next_try_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ttd_upload_item_class_init (TtdUploadItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ttd_upload_item_finalize;
  object_class->get_property = ttd_upload_item_get_property;

  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, TTD_TYPE_UPLOAD_ITEM_KIND,
                                             TTD_UPLOAD_ITEM_VIDEO, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, TTD_TYPE_QUEUE_STATE,
                                              TTD_QUEUE_STATE_QUEUED, flags);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_PUBLISH_ID] = g_param_spec_string ("publish-id", NULL, NULL, NULL, flags);
  properties[PROP_THUMBNAIL] = g_param_spec_object ("thumbnail", NULL, NULL, GDK_TYPE_PAINTABLE, flags);
  properties[PROP_DURATION_MS] = g_param_spec_int64 ("duration-ms", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_COVER_INDEX] = g_param_spec_uint ("cover-index", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /**
   * TtdUploadItem:next-try-at:
   *
   * When a queued item that TikTok held back is tried again (seconds since
   * the epoch), or 0. Any state but queued clears it.
   */
  properties[PROP_NEXT_TRY_AT] = g_param_spec_int64 ("next-try-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /**
   * TtdUploadItem:account-name:
   *
   * The name of the account the item goes to, set only while the window
   * shows another account (so a row can say whose draft it will be).
   */
  properties[PROP_ACCOUNT_NAME] = g_param_spec_string ("account-name", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ttd_upload_item_init (TtdUploadItem *self)
{
  self->duration_ms = -1;
}

static TtdUploadItem *
new_for_file (TtdUploadItemKind  kind,
              GFile             *file,
              gint64             size)
{
  TtdUploadItem *self = g_object_new (TTD_TYPE_UPLOAD_ITEM, NULL);

  self->kind = kind;
  self->file = g_object_ref (file);
  self->display_name = ttd_media_dup_display_name (file);
  self->size = size;

  return self;
}

TtdUploadItem *
ttd_upload_item_new_video (GFile  *file,
                           gint64  size)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return new_for_file (TTD_UPLOAD_ITEM_VIDEO, file, size);
}

TtdUploadItem *
ttd_upload_item_new_image (GFile  *file,
                           gint64  size)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return new_for_file (TTD_UPLOAD_ITEM_IMAGE, file, size);
}

static void
images_changed_cb (TtdUploadItem *self,
                   guint          position,
                   guint          removed,
                   guint          added,
                   GListModel    *images)
{
  guint n = g_list_model_get_n_items (images);

  /* Keep the same picture as the cover when others move; fall back to the first. */
  if (n == 0)
    ttd_upload_item_set_cover_index (self, 0);
  else if (self->cover_index >= n)
    ttd_upload_item_set_cover_index (self, n - 1);
}

TtdUploadItem *
ttd_upload_item_new_slideshow (void)
{
  TtdUploadItem *self = g_object_new (TTD_TYPE_UPLOAD_ITEM, NULL);

  self->kind = TTD_UPLOAD_ITEM_SLIDESHOW;
  self->display_name = g_strdup (_("Photo Slideshow"));
  self->images = g_list_store_new (TTD_TYPE_UPLOAD_ITEM);
  g_signal_connect_object (self->images, "items-changed",
                           G_CALLBACK (images_changed_cb), self, G_CONNECT_SWAPPED);

  return self;
}

TtdUploadItemKind
ttd_upload_item_get_kind (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), 0);

  return self->kind;
}

GFile *
ttd_upload_item_get_file (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), NULL);

  return self->file;
}

const char *
ttd_upload_item_get_display_name (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), NULL);

  return self->display_name;
}

gint64
ttd_upload_item_get_size (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), 0);

  return self->size;
}

/**
 * ttd_upload_item_get_images:
 *
 * Returns: (transfer none) (nullable): the pictures of a slideshow, in order.
 */
GListStore *
ttd_upload_item_get_images (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), NULL);

  return self->images;
}

TtdQueueState
ttd_upload_item_get_state (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), 0);

  return self->state;
}

void
ttd_upload_item_set_state (TtdUploadItem *self,
                           TtdQueueState  state)
{
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (self));

  if (self->state == state)
    return;

  self->state = state;
  if (state != TTD_QUEUE_STATE_QUEUED)
    ttd_upload_item_set_next_try_at (self, 0);
  if (state != TTD_QUEUE_STATE_FAILED && self->error != NULL)
    {
      g_clear_pointer (&self->error, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (state == TTD_QUEUE_STATE_QUEUED || state == TTD_QUEUE_STATE_WAITING)
    {
      ttd_upload_item_set_fraction (self, 0);
      ttd_upload_item_set_status (self, NULL);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

double
ttd_upload_item_get_fraction (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), 0);

  return self->fraction;
}

void
ttd_upload_item_set_fraction (TtdUploadItem *self,
                              double         fraction)
{
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (self));

  fraction = CLAMP (fraction, 0.0, 1.0);
  if (self->fraction == fraction)
    return;

  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

const char *
ttd_upload_item_get_status (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), NULL);

  return self->status;
}

void
ttd_upload_item_set_status (TtdUploadItem *self,
                            const char    *status)
{
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (self));

  if (set_string (&self->status, status))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
ttd_upload_item_get_account_name (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), NULL);

  return self->account_name;
}

void
ttd_upload_item_set_account_name (TtdUploadItem *self,
                                  const char    *account_name)
{
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (self));

  if (set_string (&self->account_name, account_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_NAME]);
}

/**
 * ttd_upload_item_get_open_id:
 *
 * Returns: (nullable): the TikTok account the item goes to: set when it is
 *   first sent (or restored from the queue), and never changed after
 */
const char *
ttd_upload_item_get_open_id (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), NULL);

  return self->open_id;
}

void
ttd_upload_item_set_open_id (TtdUploadItem *self,
                             const char    *open_id)
{
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (self));

  if (self->open_id == NULL)
    self->open_id = g_strdup (open_id);
}

gint64
ttd_upload_item_get_next_try_at (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), 0);

  return self->next_try_at;
}

void
ttd_upload_item_set_next_try_at (TtdUploadItem *self,
                                 gint64         next_try_at)
{
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (self));

  if (self->next_try_at == next_try_at)
    return;

  self->next_try_at = next_try_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_TRY_AT]);
}

const char *
ttd_upload_item_get_error (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), NULL);

  return self->error;
}

/**
 * ttd_upload_item_fail:
 * @message: a sentence for the user, shown as is
 */
void
ttd_upload_item_fail (TtdUploadItem *self,
                      const char    *message)
{
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (self));

  if (set_string (&self->error, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  ttd_upload_item_set_status (self, NULL);
  ttd_upload_item_set_state (self, TTD_QUEUE_STATE_FAILED);
}

const char *
ttd_upload_item_get_publish_id (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), NULL);

  return self->publish_id;
}

void
ttd_upload_item_set_publish_id (TtdUploadItem *self,
                                const char    *publish_id)
{
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (self));

  if (set_string (&self->publish_id, publish_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLISH_ID]);
}

/**
 * ttd_upload_item_get_thumbnail:
 *
 * Returns: (transfer none) (nullable): the picture to show; for a slideshow,
 *   its cover's.
 */
GdkPaintable *
ttd_upload_item_get_thumbnail (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), NULL);

  if (self->kind == TTD_UPLOAD_ITEM_SLIDESHOW)
    {
      g_autoptr(TtdUploadItem) cover = g_list_model_get_item (G_LIST_MODEL (self->images),
                                                              self->cover_index);

      return cover ? cover->thumbnail : NULL;
    }

  return self->thumbnail;
}

void
ttd_upload_item_set_thumbnail (TtdUploadItem *self,
                               GdkPaintable  *thumbnail)
{
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (self));

  if (g_set_object (&self->thumbnail, thumbnail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
}

gint64
ttd_upload_item_get_duration_ms (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), -1);

  return self->duration_ms;
}

void
ttd_upload_item_set_duration_ms (TtdUploadItem *self,
                                 gint64         duration_ms)
{
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (self));

  if (self->duration_ms == duration_ms)
    return;

  self->duration_ms = duration_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION_MS]);
}

/* Something about the item that will make sending it fail (for example a
 * picture too large to decode), found before sending. */
const char *
ttd_upload_item_get_problem (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), NULL);

  return self->problem;
}

void
ttd_upload_item_set_problem (TtdUploadItem *self,
                             const char    *problem)
{
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (self));

  if (set_string (&self->problem, problem))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

const char *
ttd_upload_item_get_title (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), NULL);

  return self->title;
}

void
ttd_upload_item_set_title (TtdUploadItem *self,
                           const char    *title)
{
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (self));

  if (set_string (&self->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
ttd_upload_item_get_description (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), NULL);

  return self->description;
}

void
ttd_upload_item_set_description (TtdUploadItem *self,
                                 const char    *description)
{
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (self));

  if (set_string (&self->description, description))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

guint
ttd_upload_item_get_cover_index (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), 0);

  return self->cover_index;
}

void
ttd_upload_item_set_cover_index (TtdUploadItem *self,
                                 guint          cover_index)
{
  g_return_if_fail (TTD_IS_UPLOAD_ITEM (self));

  if (self->cover_index == cover_index)
    return;

  self->cover_index = cover_index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COVER_INDEX]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
}

gint64
ttd_upload_item_get_total_size (TtdUploadItem *self)
{
  gint64 total = 0;

  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), 0);

  if (self->kind != TTD_UPLOAD_ITEM_SLIDESHOW)
    return self->size;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->images)); i++)
    {
      g_autoptr(TtdUploadItem) image = g_list_model_get_item (G_LIST_MODEL (self->images), i);

      total += image->size;
    }

  return total;
}

gboolean
ttd_upload_item_is_busy (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), FALSE);

  return self->state == TTD_QUEUE_STATE_WAITING ||
         self->state == TTD_QUEUE_STATE_SENDING ||
         self->state == TTD_QUEUE_STATE_PROCESSING;
}

/* Whether "Send to Drafts" would send it: not sent yet (or failed), and
 * nothing known to be wrong with it. */
gboolean
ttd_upload_item_is_sendable (TtdUploadItem *self)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (self), FALSE);

  if (self->state != TTD_QUEUE_STATE_QUEUED && self->state != TTD_QUEUE_STATE_FAILED)
    return FALSE;

  if (self->problem != NULL)
    return FALSE;

  if (self->kind == TTD_UPLOAD_ITEM_SLIDESHOW)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->images));

      if (n == 0)
        return FALSE;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TtdUploadItem) image = g_list_model_get_item (G_LIST_MODEL (self->images), i);

          if (image->problem != NULL)
            return FALSE;
        }

      if (ttd_utf16_length (self->title) > TTD_SLIDESHOW_TITLE_MAX ||
          ttd_utf16_length (self->description) > TTD_SLIDESHOW_DESCRIPTION_MAX)
        return FALSE;
    }

  return TRUE;
}

/* "0:42", "12:05", "1:02:03" */
char *
ttd_format_duration (gint64 duration_ms)
{
  gint64 seconds;

  if (duration_ms < 0)
    return NULL;

  seconds = (duration_ms + 500) / 1000;
  if (seconds >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600),
                            (int) (seconds / 60 % 60), (int) (seconds % 60));

  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}
