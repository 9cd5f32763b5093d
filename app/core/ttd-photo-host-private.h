/* ttd-photo-host-private.h — the S3-compatible half of TtdPhotoHost
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "ttd-config.h"

G_BEGIN_DECLS

/* Where and as whom objects are put: one bucket of an S3-compatible store. */
typedef struct _TtdS3Target TtdS3Target;

TtdS3Target *_ttd_s3_target_new      (const TtdConfig  *config,
                                      GError          **error);
void         _ttd_s3_target_free     (TtdS3Target      *self);
char        *_ttd_s3_target_id       (TtdS3Target      *self,
                                      const char       *prefix);
SoupMessage *_ttd_s3_target_message  (TtdS3Target      *self,
                                      const char       *method,
                                      const char       *key,
                                      GBytes           *body,
                                      GError          **error);
gboolean     _ttd_s3_target_refused  (TtdS3Target      *self,
                                      guint             status,
                                      GBytes           *answer,
                                      const char       *action,
                                      GError          **error);
char        *_ttd_s3_error_code      (GBytes           *answer);
char        *_ttd_s3_normalize_prefix (const char      *prefix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdS3Target, _ttd_s3_target_free)

G_END_DECLS
