/* ttd-bounded-input-stream.h
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TTD_TYPE_BOUNDED_INPUT_STREAM (ttd_bounded_input_stream_get_type ())

G_DECLARE_FINAL_TYPE (TtdBoundedInputStream, ttd_bounded_input_stream, TTD, BOUNDED_INPUT_STREAM, GFilterInputStream)

GInputStream *ttd_bounded_input_stream_new (GInputStream  *base,
                                            goffset        start,
                                            goffset        length,
                                            GCancellable  *cancellable,
                                            GError       **error);

G_END_DECLS
