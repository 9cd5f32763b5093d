/* ttd-draft-session.h — what the creator has queued, and sending it
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ttd-core.h"
#include "ttd-upload-item.h"

G_BEGIN_DECLS

#define TTD_TYPE_DRAFT_SESSION (ttd_draft_session_get_type ())

G_DECLARE_FINAL_TYPE (TtdDraftSession, ttd_draft_session, TTD, DRAFT_SESSION, GObject)

TtdDraftSession *ttd_draft_session_new                (TtdQueue         *queue);
TtdQueue        *ttd_draft_session_get_queue          (TtdDraftSession  *self);
GListModel      *ttd_draft_session_get_items          (TtdDraftSession  *self);
void             ttd_draft_session_restore            (TtdDraftSession  *self);
void             ttd_draft_session_save_now           (TtdDraftSession  *self);

void             ttd_draft_session_add_files          (TtdDraftSession  *self,
                                                       GFile           **files,
                                                       guint             n_files);
TtdUploadItem   *ttd_draft_session_find_slideshow     (TtdDraftSession  *self);
void             ttd_draft_session_remove_item        (TtdDraftSession  *self,
                                                       TtdUploadItem    *item);
void             ttd_draft_session_clear_sent         (TtdDraftSession  *self);

TtdAccount      *ttd_draft_session_get_account        (TtdDraftSession  *self);
void             ttd_draft_session_set_account        (TtdDraftSession  *self,
                                                       TtdAccount       *account);
void             ttd_draft_session_set_accounts       (TtdDraftSession  *self,
                                                       TtdAccounts      *accounts);
const char      *ttd_draft_session_photo_host_problem (TtdAccount       *account);
gboolean         ttd_draft_session_can_send_item      (TtdDraftSession  *self,
                                                       TtdUploadItem    *item);
gboolean         ttd_draft_session_send               (TtdDraftSession  *self);
gboolean         ttd_draft_session_retry              (TtdDraftSession  *self,
                                                       TtdUploadItem    *item,
                                                       GError          **error);
void             ttd_draft_session_stop               (TtdDraftSession  *self);
gboolean         ttd_draft_session_get_sending        (TtdDraftSession  *self);
TtdUploadItem   *ttd_draft_session_get_current        (TtdDraftSession  *self);

G_END_DECLS
