/* ttd-core.h — everything the app and the CLI share; no GTK here
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ttd-account.h"
#include "ttd-accounts.h"
#include "ttd-api-client.h"
#include "ttd-auth-flow.h"
#include "ttd-bounded-input-stream.h"
#include "ttd-chunk-plan.h"
#include "ttd-config.h"
#include "ttd-error.h"
#include "ttd-http.h"
#include "ttd-json.h"
#include "ttd-log.h"
#include "ttd-media.h"
#include "ttd-image-convert.h"
#include "ttd-photo-host.h"
#include "ttd-photo-upload.h"
#include "ttd-pixel-budget.h"
#include "ttd-pkce.h"
#include "ttd-process.h"
#include "ttd-queue.h"
#include "ttd-secure.h"
#include "ttd-sender.h"
#include "ttd-token-store.h"
#include "ttd-tokens.h"
#include "ttd-upload.h"
#include "ttd-video-upload.h"
#include "ttd-wait.h"
