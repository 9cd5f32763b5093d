/* ttd-bounded-input-stream.c — a window of another stream, for one chunk
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-bounded-input-stream.h"

/* Lets libsoup stream exactly one chunk of the open video file: reads stop
 * after @limit bytes, and a file that shrank underneath is an error rather
 * than a short body. The base stream is not closed with this one. */

struct _TtdBoundedInputStream
{
  GFilterInputStream parent_instance;
  gint64             remaining;
};

G_DEFINE_FINAL_TYPE (TtdBoundedInputStream, ttd_bounded_input_stream, G_TYPE_FILTER_INPUT_STREAM)

static gssize
ttd_bounded_input_stream_read (GInputStream  *stream,
                               void          *buffer,
                               gsize          count,
                               GCancellable  *cancellable,
                               GError       **error)
{
  TtdBoundedInputStream *self = TTD_BOUNDED_INPUT_STREAM (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  gssize n;

  if (self->remaining <= 0)
    return 0;

  n = g_input_stream_read (base, buffer, MIN ((gint64) count, self->remaining), cancellable, error);
  if (n == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                           _("The file became shorter while it was being sent."));
      return -1;
    }

  if (n > 0)
    self->remaining -= n;

  return n;
}

static gssize
ttd_bounded_input_stream_skip (GInputStream  *stream,
                               gsize          count,
                               GCancellable  *cancellable,
                               GError       **error)
{
  TtdBoundedInputStream *self = TTD_BOUNDED_INPUT_STREAM (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  gssize n = g_input_stream_skip (base, MIN ((gint64) count, self->remaining), cancellable, error);

  if (n > 0)
    self->remaining -= n;

  return n;
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

GInputStream *
ttd_bounded_input_stream_new (GInputStream *base,
                              gint64        limit)
{
  TtdBoundedInputStream *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (base), NULL);

  self = g_object_new (TTD_TYPE_BOUNDED_INPUT_STREAM,
                       "base-stream", base,
                       "close-base-stream", FALSE,
                       NULL);
  self->remaining = limit;

  return G_INPUT_STREAM (self);
}
