/* ttd-dbus-service-private.h — what the ttd-dbus-*.c files share
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ttd-dbus-service.h"

G_BEGIN_DECLS

struct _TtdDbusService
{
  GObject          parent_instance;

  GDBusConnection *connection;
  guint            registration_id;

  TtdDraftSession *session;         /* what is queued, and sending it */
  TtdAccount      *account;         /* the app's account, as configured (tokens maybe not loaded) */
  GPtrArray       *waiting;         /* Send requests waiting for the account */

  /* ttd-dbus-items.c */
  GHashTable      *watched;         /* TtdUploadItem → Watch */
  guint            sync_id;         /* the idle that compares the session's items with those watched */
};

typedef struct
{
  char     *account;
  char     *title;
  char     *description;
  guint     cover;
  gboolean  has_cover;
  gboolean  slideshow;
} TtdDbusOptions;

/* ttd-dbus-options.c */
gboolean  _ttd_dbus_parse_options  (GVariant        *dict,
                                    TtdDbusOptions  *options,
                                    GError         **error);
void      _ttd_dbus_options_clear  (TtdDbusOptions  *options);
char     *_ttd_dbus_dup_shown      (const char      *text);

/* ttd-dbus-items.c */
GVariant *_ttd_dbus_describe_item  (TtdUploadItem   *item);
GVariant *_ttd_dbus_list_items     (TtdDbusService  *self);
void      _ttd_dbus_watch_session  (TtdDbusService  *self);
void      _ttd_dbus_unwatch_all    (TtdDbusService  *self);

G_END_DECLS
