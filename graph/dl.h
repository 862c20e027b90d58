/*
 * dl.h: optional libraries loaded on first use (sg_dl_once), for the
 * layers above graph/, which do not include the store's headers.  The
 * loader itself is store/dl.c: the store loads libcrypto with it.
 */
#ifndef SG_GRAPH_DL_H
#define SG_GRAPH_DL_H

#include "../store/dl.h"

#endif
