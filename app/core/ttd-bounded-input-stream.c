/* ttd-bounded-input-stream.c — a window of another stream, for one chunk
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-bounded-input-stream.h"

/* Lets libsoup stream exactly one chunk of the open video file: reads stop
 * after the window's length, and a file that shrank underneath is an error
 * rather than a short body. The window is seekable (within itself), so when
 * libsoup re-sends a request on a fresh connection it rewinds to the
 * chunk's first byte instead of sending the rest. The base stream is not
 * closed with this one. */

struct _TtdBoundedInputStream
{
  GFilterInputStream parent_instance;
  goffset            start;     /* window start in the base stream */
  goffset            length;
  goffset            position;  /* within the window */
};

static void seekable_iface_init (GSeekableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TtdBoundedInputStream, ttd_bounded_input_stream, G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_SEEKABLE, seekable_iface_init))

static GInputStream *
get_base (TtdBoundedInputStream *self)
{
  return g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self));
}

static gssize
ttd_bounded_input_stream_read (GInputStream  *stream,
                               void          *buffer,
                               gsize          count,
                               GCancellable  *cancellable,
                               GError       **error)
{
  TtdBoundedInputStream *self = TTD_BOUNDED_INPUT_STREAM (stream);
  goffset remaining = self->length - self->position;
  gssize n;

  if (remaining <= 0)
    return 0;

  n = g_input_stream_read (get_base (self), buffer, MIN ((goffset) count, remaining), cancellable, error);
  if (n == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                           _("The file became shorter while it was being sent."));
      return -1;
    }

  if (n > 0)
    self->position += n;

  return n;
}

static gssize
ttd_bounded_input_stream_skip (GInputStream  *stream,
                               gsize          count,
                               GCancellable  *cancellable,
                               GError       **error)
{
  TtdBoundedInputStream *self = TTD_BOUNDED_INPUT_STREAM (stream);
  gssize n = g_input_stream_skip (get_base (self), MIN ((goffset) count, self->length - self->position),
                                  cancellable, error);

  if (n > 0)
    self->position += n;

  return n;
}

static goffset
seekable_tell (GSeekable *seekable)
{
  return TTD_BOUNDED_INPUT_STREAM (seekable)->position;
}

static gboolean
seekable_can_seek (GSeekable *seekable)
{
  GInputStream *base = get_base (TTD_BOUNDED_INPUT_STREAM (seekable));

  return G_IS_SEEKABLE (base) && g_seekable_can_seek (G_SEEKABLE (base));
}

static gboolean
seekable_seek (GSeekable     *seekable,
               goffset        offset,
               GSeekType      type,
               GCancellable  *cancellable,
               GError       **error)
{
  TtdBoundedInputStream *self = TTD_BOUNDED_INPUT_STREAM (seekable);
  goffset target;

  switch (type)
    {
    case G_SEEK_CUR:
      target = self->position + offset;
      break;
    case G_SEEK_END:
      target = self->length + offset;
      break;
    case G_SEEK_SET:
    default:
      target = offset;
      break;
    }

  if (target < 0 || target > self->length)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Seek outside the chunk");
      return FALSE;
    }

  if (!seekable_can_seek (seekable))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Not seekable");
      return FALSE;
    }

  if (!g_seekable_seek (G_SEEKABLE (get_base (self)), self->start + target, G_SEEK_SET,
                        cancellable, error))
    return FALSE;

  self->position = target;
  return TRUE;
}

static gboolean
seekable_can_truncate (GSeekable *seekable)
{
  return FALSE;
}

static gboolean
seekable_truncate (GSeekable     *seekable,
                   goffset        offset,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Cannot truncate");
  return FALSE;
}

static void
seekable_iface_init (GSeekableIface *iface)
{
  iface->tell = seekable_tell;
  iface->can_seek = seekable_can_seek;
  iface->seek = seekable_seek;
  iface->can_truncate = seekable_can_truncate;
  iface->truncate_fn = seekable_truncate;
}

static void
ttd_bounded_input_stream_class_init (TtdBoundedInputStreamClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  stream_class->read_fn = ttd_bounded_input_stream_read;
  stream_class->skip = ttd_bounded_input_stream_skip;
}

static void
ttd_bounded_input_stream_init (TtdBoundedInputStream *self)
{
}

/**
 * ttd_bounded_input_stream_new:
 * @base: a seekable stream
 * @start: where the window begins in @base
 * @length: how long the window is
 *
 * Positions @base at @start.
 *
 * Returns: (transfer full): the window, or %NULL if @base cannot seek there.
 */
GInputStream *
ttd_bounded_input_stream_new (GInputStream  *base,
                              goffset        start,
                              goffset        length,
                              GCancellable  *cancellable,
                              GError       **error)
{
  TtdBoundedInputStream *self;

  g_return_val_if_fail (G_IS_SEEKABLE (base), NULL);

  if (!g_seekable_seek (G_SEEKABLE (base), start, G_SEEK_SET, cancellable, error))
    return NULL;

  self = g_object_new (TTD_TYPE_BOUNDED_INPUT_STREAM,
                       "base-stream", base,
                       "close-base-stream", FALSE,
                       NULL);
  self->start = start;
  self->length = length;

  return G_INPUT_STREAM (self);
}
