/* ttd-emulator-probe.c — photo probing: JPEG and WebP headers
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ttd-emulator-private.h"

static ProbeResult
probe_jpeg (const guint8 *d,
            gsize         len,
            gboolean      eof,
            ProbeInfo    *info)
{
  gsize pos = 2;

  for (;;)
    {
      guint8 marker;
      gsize seglen;

      if (pos + 1 >= len)
        return eof ? PROBE_BAD_FORMAT : PROBE_NEED_MORE;
      if (d[pos] != 0xff)
        return PROBE_BAD_FORMAT;

      marker = d[pos + 1];
      if (marker == 0xff)
        {
          pos++;
          continue;
        }
      if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        {
          pos += 2;
          continue;
        }
      if (marker == 0xd9 || marker == 0xda)
        return PROBE_BAD_FORMAT;       /* no frame header before the scan */

      if (pos + 3 >= len)
        return eof ? PROBE_BAD_FORMAT : PROBE_NEED_MORE;
      seglen = ((gsize) d[pos + 2] << 8) | d[pos + 3];
      if (seglen < 2)
        return PROBE_BAD_FORMAT;

      if (marker == 0xc0 || marker == 0xc1 || marker == 0xc2)
        {
          if (pos + 8 >= len)
            return eof ? PROBE_BAD_FORMAT : PROBE_NEED_MORE;
          info->height = (d[pos + 5] << 8) | d[pos + 6];
          info->width = (d[pos + 7] << 8) | d[pos + 8];
          info->progressive = marker == 0xc2;
          info->format = "jpeg";
          return info->width > 0 && info->height > 0 ? PROBE_OK : PROBE_BAD_FORMAT;
        }
      if ((marker >= 0xc3 && marker <= 0xcf) && marker != 0xc4 && marker != 0xc8 &&
          marker != 0xcc)
        return PROBE_BAD_FORMAT;       /* lossless / arithmetic coding */

      if (marker == 0xe1 && seglen >= 8)
        {
          if (pos + 10 > len)
            return eof ? PROBE_BAD_FORMAT : PROBE_NEED_MORE;
          if (memcmp (d + pos + 4, "Exif\0\0", 6) == 0)
            info->has_exif = TRUE;
        }

      pos += 2 + seglen;
    }
}

static ProbeResult
probe_webp (const guint8 *d,
            gsize         len,
            gboolean      eof,
            ProbeInfo    *info)
{
  if (len < 30)
    return eof ? PROBE_BAD_FORMAT : PROBE_NEED_MORE;

  info->format = "webp";
  if (memcmp (d + 12, "VP8 ", 4) == 0)
    {
      if (d[23] != 0x9d || d[24] != 0x01 || d[25] != 0x2a)
        return PROBE_BAD_FORMAT;
      info->width = (d[26] | (d[27] << 8)) & 0x3fff;
      info->height = (d[28] | (d[29] << 8)) & 0x3fff;
    }
  else if (memcmp (d + 12, "VP8L", 4) == 0)
    {
      guint32 bits;

      if (d[20] != 0x2f)
        return PROBE_BAD_FORMAT;
      bits = (guint32) d[21] | ((guint32) d[22] << 8) | ((guint32) d[23] << 16) |
             ((guint32) d[24] << 24);
      info->width = (int) (bits & 0x3fff) + 1;
      info->height = (int) ((bits >> 14) & 0x3fff) + 1;
    }
  else if (memcmp (d + 12, "VP8X", 4) == 0)
    {
      info->has_exif = (d[20] & 0x08) != 0;
      info->width = 1 + (int) (d[24] | (d[25] << 8) | (d[26] << 16));
      info->height = 1 + (int) (d[27] | (d[28] << 8) | (d[29] << 16));
    }
  else
    {
      return PROBE_BAD_FORMAT;
    }

  return info->width > 0 && info->height > 0 ? PROBE_OK : PROBE_BAD_FORMAT;
}

ProbeResult
emu_probe_image (const guint8 *d,
                 gsize         len,
                 gboolean      eof,
                 ProbeInfo    *info)
{
  static const guint8 jpeg_magic[3] = { 0xff, 0xd8, 0xff };

  if (memcmp (d, jpeg_magic, MIN (len, 3)) == 0)
    {
      if (len < 3)
        return eof ? PROBE_BAD_FORMAT : PROBE_NEED_MORE;
      return probe_jpeg (d, len, eof, info);
    }

  if (memcmp (d, "RIFF", MIN (len, 4)) == 0)
    {
      if (len < 12)
        return eof ? PROBE_BAD_FORMAT : PROBE_NEED_MORE;
      if (memcmp (d + 8, "WEBP", 4) != 0)
        return PROBE_BAD_FORMAT;
      return probe_webp (d, len, eof, info);
    }

  return PROBE_BAD_FORMAT;
}
