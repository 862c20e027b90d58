/*
 * cjson_dl.h: cJSON (FollowTheMoney import and export) loaded on first
 * use (store/dl.h), so that a process that reads no FtM does not map it at
 * start-up.  Include this instead of <cjson/cJSON.h>: each cJSON function
 * used becomes a trampoline that loads libcjson on its first call.  When
 * the library cannot be loaded, the reason goes to stderr once and the
 * functions return NULL or 0 (what a parse or allocation failure returns).
 */
#ifndef SG_CJSON_DL_H
#define SG_CJSON_DL_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* type, name, parameters, arguments */
#define SG_CJSON_FUNCS(X) \
	X(cJSON *, ParseWithLength, (const char *v, size_t n), (v, n)) \
	X(char *, PrintUnformatted, (const cJSON *i), (i)) \
	X(int, GetArraySize, (const cJSON *a), (a)) \
	X(cJSON *, GetObjectItemCaseSensitive, (const cJSON *const o, const char *const s), (o, s)) \
	X(cJSON_bool, IsTrue, (const cJSON *const i), (i)) \
	X(cJSON_bool, IsBool, (const cJSON *const i), (i)) \
	X(cJSON_bool, IsString, (const cJSON *const i), (i)) \
	X(cJSON_bool, IsArray, (const cJSON *const i), (i)) \
	X(cJSON_bool, IsObject, (const cJSON *const i), (i)) \
	X(cJSON *, CreateString, (const char *s), (s)) \
	X(cJSON *, CreateObject, (void), ()) \
	X(cJSON_bool, AddItemToArray, (cJSON *a, cJSON *i), (a, i)) \
	X(cJSON *, AddBoolToObject, (cJSON *const o, const char *const n, const cJSON_bool b), (o, n, b)) \
	X(cJSON *, AddStringToObject, (cJSON *const o, const char *const n, const char *const s), (o, n, s)) \
	X(cJSON *, AddObjectToObject, (cJSON *const o, const char *const n), (o, n)) \
	X(cJSON *, AddArrayToObject, (cJSON *const o, const char *const n), (o, n))

#define SG_CJSON_DECL(type, name, params, args) type sg_cJSON_##name params;
SG_CJSON_FUNCS(SG_CJSON_DECL)
#undef SG_CJSON_DECL
void sg_cJSON_Delete(cJSON *item);
void sg_cJSON_free(void *p);
void sg_cJSON_InitHooks(cJSON_Hooks *hooks);

/* cjson_dl.c itself resolves the library's own names. */
#ifndef SG_CJSON_DL_IMPL
#define cJSON_ParseWithLength sg_cJSON_ParseWithLength
#define cJSON_PrintUnformatted sg_cJSON_PrintUnformatted
#define cJSON_GetArraySize sg_cJSON_GetArraySize
#define cJSON_GetObjectItemCaseSensitive sg_cJSON_GetObjectItemCaseSensitive
#define cJSON_IsTrue sg_cJSON_IsTrue
#define cJSON_IsBool sg_cJSON_IsBool
#define cJSON_IsString sg_cJSON_IsString
#define cJSON_IsArray sg_cJSON_IsArray
#define cJSON_IsObject sg_cJSON_IsObject
#define cJSON_CreateString sg_cJSON_CreateString
#define cJSON_CreateObject sg_cJSON_CreateObject
#define cJSON_AddItemToArray sg_cJSON_AddItemToArray
#define cJSON_AddBoolToObject sg_cJSON_AddBoolToObject
#define cJSON_AddStringToObject sg_cJSON_AddStringToObject
#define cJSON_AddObjectToObject sg_cJSON_AddObjectToObject
#define cJSON_AddArrayToObject sg_cJSON_AddArrayToObject
#define cJSON_Delete sg_cJSON_Delete
#define cJSON_free sg_cJSON_free
#define cJSON_InitHooks sg_cJSON_InitHooks
#endif

#endif
