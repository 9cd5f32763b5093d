/* ttd-window-private.h — what the ttd-window*.c files (and the UI tests) share
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ttd-draft-session.h"
#include "ttd-window.h"

G_BEGIN_DECLS

typedef enum
{
  TTD_ACCOUNT_STATE_CHECKING,
  TTD_ACCOUNT_STATE_NO_CREDENTIALS,
  TTD_ACCOUNT_STATE_SIGNED_OUT,
  TTD_ACCOUNT_STATE_SIGNING_IN,
  TTD_ACCOUNT_STATE_SIGNED_IN,
} TtdAccountState;

struct _TtdWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkRevealer          *demo_revealer;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkMenuButton        *account_button;
  AdwAvatar            *account_avatar;
  GtkLabel             *account_name;
  GtkLabel             *account_menu_label;

  /* The other pages (ttd-window-pages.ui): NULL until _ttd_window_ensure_pages() */
  gboolean              pages_built;
  AdwStatusPage        *signed_out_page;
  GtkWidget            *sign_in_button;
  GtkWidget            *browse_button;
  GtkLabel             *waiting_label;
  GtkLabel             *sign_in_uri_label;
  GtkLabel             *sign_in_problem_label;
  GtkListBox           *queue_list;
  GtkWidget            *photo_host_notice;
  GtkLabel             *photo_host_label;
  GtkWidget            *video_note;
  GtkLabel             *summary_label;
  GtkStack             *send_stack;
  GtkButton            *send_button;

  /* Owned references */
  GSettings            *settings;
  TtdAccount           *account;
  TtdUserInfo          *user_info;
  TtdDraftSession      *session;         /* the application's, or the window's own */
  GCancellable         *account_cancellable;
  TtdAuthFlow          *auth_flow;
  GCancellable         *sign_in_cancellable;
  TtdAccount           *sign_in_account; /* the account a sign-in in progress adds */
  GSimpleActionGroup   *account_actions; /* "account.switch", "account.add", "account.sign-out" */
  GHashTable           *account_names;   /* open_id → display name, of every signed-in account */
  guint                 account_names_idle;
  GCancellable         *cancellable;     /* the window's own work; cancelled in dispose */

  /* Borrowed references */
  GtkDropTarget        *drop_target;
  GtkWindow            *help_overlay;    /* built on first use; destroyed with us */
  GListModel           *items;           /* the session's */

  TtdAccountState       account_state;
  guint                 close_confirmed : 1;
  guint                 demo : 1;
};

/* ttd-window.c */
void          _ttd_window_ensure_pages         (TtdWindow       *self);
void          _ttd_window_update               (TtdWindow       *self);
void          _ttd_window_toast                (TtdWindow       *self,
                                                const char      *message);
void          _ttd_window_set_account_state    (TtdWindow       *self,
                                                TtdAccountState  state);
const char   *_ttd_window_photo_host_problem   (TtdWindow       *self);

/* ttd-window-account.c */
void          _ttd_window_account_class_init   (GtkWidgetClass  *widget_class);
void          _ttd_window_account_init         (TtdWindow       *self);
void          _ttd_window_refresh_accounts     (TtdWindow       *self);
void          _ttd_window_label_item_accounts  (TtdWindow       *self);
void          _ttd_window_set_user_info        (TtdWindow       *self,
                                                const TtdUserInfo *info,
                                                GdkPaintable    *avatar);

/* ttd-window-actions.c */
void          _ttd_window_actions_class_init   (GtkWidgetClass  *widget_class);
void          _ttd_window_actions_init         (TtdWindow       *self);
void          _ttd_window_retry_item           (TtdWindow       *self,
                                                TtdUploadItem   *item);
gboolean      _ttd_window_close_request        (TtdWindow       *self);

/* ttd-window-dnd.c */
void          _ttd_window_dnd_init             (TtdWindow       *self);
void          _ttd_window_dnd_class_init       (GtkWidgetClass  *widget_class);

G_END_DECLS
