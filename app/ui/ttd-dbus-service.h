/* ttd-dbus-service.h — org.cofndrly.TikTokDrafts.Drafts1: other programs send drafts through the app
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ttd-core.h"
#include "ttd-draft-session.h"

G_BEGIN_DECLS

#define TTD_DBUS_OBJECT_PATH  "/org/cofndrly/TikTokDrafts"
#define TTD_DBUS_INTERFACE    "org.cofndrly.TikTokDrafts.Drafts1"

#define TTD_DBUS_ERROR (ttd_dbus_error_quark ())

/**
 * TtdDbusError:
 *
 * The service's own errors. Together with %TTD_INTAKE_ERROR, whose codes
 * are registered too, they reach callers as
 * org.cofndrly.TikTokDrafts.Error.* (see the interface XML).
 */
typedef enum
{
  TTD_DBUS_ERROR_FAILED,
  TTD_DBUS_ERROR_INVALID_OPTION,
  TTD_DBUS_ERROR_NOT_SIGNED_IN,
  TTD_DBUS_ERROR_UNKNOWN_ACCOUNT,
  TTD_DBUS_ERROR_NO_PHOTO_HOST,
} TtdDbusError;

GQuark ttd_dbus_error_quark (void);

#define TTD_TYPE_DBUS_SERVICE (ttd_dbus_service_get_type ())

G_DECLARE_FINAL_TYPE (TtdDbusService, ttd_dbus_service, TTD, DBUS_SERVICE, GObject)

TtdDbusService *ttd_dbus_service_new          (void);
gboolean        ttd_dbus_service_register     (TtdDbusService   *self,
                                               GDBusConnection  *connection,
                                               GError          **error);
void            ttd_dbus_service_unregister   (TtdDbusService   *self);
void            ttd_dbus_service_set_session  (TtdDbusService   *self,
                                               TtdDraftSession  *session);
void            ttd_dbus_service_set_account  (TtdDbusService   *self,
                                               TtdAccount       *account);

G_END_DECLS
