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

/**
 * TtdIntakeMode:
 * @TTD_INTAKE_AS_DROP: as a drop: folders expanded, videos become drafts,
 *   pictures join the slideshow not sent yet; what is refused is said in
 *   #TtdDraftSession::message and the rest goes in
 * @TTD_INTAKE_VIDEOS: each file a video, its own item; all or nothing
 * @TTD_INTAKE_SLIDESHOW: the files are the pictures of one new slideshow;
 *   all or nothing
 *
 * How ttd_draft_session_add_files_async() takes files. The two strict
 * modes are for other programs (the D-Bus API): no folders, every file
 * judged by content as a drop is, and the first problem is the error.
 */
typedef enum
{
  TTD_INTAKE_AS_DROP,
  TTD_INTAKE_VIDEOS,
  TTD_INTAKE_SLIDESHOW,
} TtdIntakeMode;

#define TTD_INTAKE_ERROR (ttd_intake_error_quark ())

typedef enum
{
  TTD_INTAKE_ERROR_NOT_A_FILE,      /* missing, unreadable, a folder */
  TTD_INTAKE_ERROR_UNSUPPORTED,     /* not a video or picture TikTok takes */
  TTD_INTAKE_ERROR_ALREADY_QUEUED,
  TTD_INTAKE_ERROR_WRONG_KIND,      /* a picture among videos, or a video in a slideshow */
  TTD_INTAKE_ERROR_TOO_MANY,        /* more pictures than a slideshow takes */
} TtdIntakeError;

GQuark           ttd_intake_error_quark               (void);

G_DECLARE_FINAL_TYPE (TtdDraftSession, ttd_draft_session, TTD, DRAFT_SESSION, GObject)

TtdDraftSession *ttd_draft_session_new                (TtdQueue         *queue);
TtdQueue        *ttd_draft_session_get_queue          (TtdDraftSession  *self);
GListModel      *ttd_draft_session_get_items          (TtdDraftSession  *self);
void             ttd_draft_session_restore            (TtdDraftSession  *self);
void             ttd_draft_session_save_now           (TtdDraftSession  *self);

void             ttd_draft_session_add_files          (TtdDraftSession  *self,
                                                       GFile           **files,
                                                       guint             n_files);
void             ttd_draft_session_add_files_async    (TtdDraftSession  *self,
                                                       GFile           **files,
                                                       guint             n_files,
                                                       TtdIntakeMode     mode,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);
GPtrArray       *ttd_draft_session_add_files_finish   (TtdDraftSession  *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);
const char      *ttd_draft_session_get_item_id        (TtdUploadItem    *item);
TtdUploadItem   *ttd_draft_session_find_item          (TtdDraftSession  *self,
                                                       const char       *id);
TtdUploadItem   *ttd_draft_session_find_slideshow     (TtdDraftSession  *self);
void             ttd_draft_session_remove_item        (TtdDraftSession  *self,
                                                       TtdUploadItem    *item);
void             ttd_draft_session_clear_sent         (TtdDraftSession  *self);

TtdAccount      *ttd_draft_session_get_account        (TtdDraftSession  *self);
void             ttd_draft_session_set_account        (TtdDraftSession  *self,
                                                       TtdAccount       *account);
void             ttd_draft_session_set_accounts       (TtdDraftSession  *self,
                                                       TtdAccounts      *accounts);
TtdAccounts     *ttd_draft_session_get_accounts       (TtdDraftSession  *self);
const char      *ttd_draft_session_photo_host_problem (TtdAccount       *account);
gboolean         ttd_draft_session_can_send_item      (TtdDraftSession  *self,
                                                       TtdUploadItem    *item);
gboolean         ttd_draft_session_send               (TtdDraftSession  *self);
gboolean         ttd_draft_session_send_items         (TtdDraftSession  *self,
                                                       TtdUploadItem   **items,
                                                       guint             n_items,
                                                       GError          **error);
gboolean         ttd_draft_session_retry              (TtdDraftSession  *self,
                                                       TtdUploadItem    *item,
                                                       GError          **error);
void             ttd_draft_session_stop               (TtdDraftSession  *self);
gboolean         ttd_draft_session_get_sending        (TtdDraftSession  *self);
TtdUploadItem   *ttd_draft_session_get_current        (TtdDraftSession  *self);

G_END_DECLS
