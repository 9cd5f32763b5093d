/* ttd-dbus-service-private.h — what ttd-dbus-service.c and ttd-dbus-items.c share
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

  GMutex           names_lock;
  GHashTable      *display_names;   /* open_id → display name, as TikTok said */

  /* ttd-dbus-items.c */
  GHashTable      *watched;         /* TtdUploadItem → Watch */
  guint            sync_id;         /* the idle that compares the session's items with those watched */
};

#define TTD_DBUS_OPEN_ID_KEY "ttd-dbus-open-id"

/* ttd-dbus-items.c */
GVariant *_ttd_dbus_describe_item  (TtdUploadItem   *item);
GVariant *_ttd_dbus_list_items     (TtdDbusService  *self);
void      _ttd_dbus_watch_session  (TtdDbusService  *self);
void      _ttd_dbus_unwatch_all    (TtdDbusService  *self);

G_END_DECLS
