/* ttd-pkce.h
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * TtdPkceEncoding:
 * @TTD_PKCE_HEX: TikTok's desktop rule: lower-case hex SHA-256 of the verifier
 * @TTD_PKCE_BASE64URL: RFC 7636 S256, which TikTok's web platform uses
 */
typedef enum
{
  TTD_PKCE_HEX,
  TTD_PKCE_BASE64URL,
} TtdPkceEncoding;

char     *ttd_pkce_new_verifier    (GError         **error);
char     *ttd_pkce_challenge       (const char      *verifier,
                                    TtdPkceEncoding  encoding);
gboolean  ttd_pkce_verifier_is_valid (const char    *verifier);

G_END_DECLS
