#include "devlog_msg.h"

#include <stdbool.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* "<N>", N at most 191 in one to three digits. Returns past it, or NULL
 * (then the message has no priority of its own). */
static const char *parse_priority(const char *p, const char *end, int *priority)
{
	int value = 0, digits = 0;

	if (p >= end || *p != '<')
		return NULL;
	for (p++; p < end && is_digit(*p) && digits < 3; p++, digits++)
		value = value * 10 + (*p - '0');
	if (digits == 0 || p >= end || *p != '>' || value > 191)
		return NULL;
	*priority = value;
	return p + 1;
}

/* RFC 3164's "Mmm dd hh:mm:ss ", the day padded with a space: what
 * glibc's syslog(3) and logger(1) put first. */
static const char *skip_bsd_timestamp(const char *p, const char *end)
{
	static const char shape[] = "aaa_dd_dd:dd:dd_";
	size_t n = sizeof(shape) - 1;

	if ((size_t)(end - p) < n)
		return p;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		bool ok;

		switch (shape[i]) {
		case 'a':
			ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
			break;
		case 'd':	/* the day's first digit may be a space */
			ok = is_digit(c) || (i == 4 && c == ' ');
			break;
		case '_':
			ok = c == ' ';
			break;
		default:
			ok = c == shape[i];
			break;
		}
		if (!ok)
			return p;
	}
	return p + n;
}

/* The first word, when it ends in ':', is "TAG:" or "TAG[PID]:" (as
 * journald reads it); one blank after it is part of the separator.
 * Anything else leaves p where it was: there is no tag. */
static const char *parse_tag(const char *p, const char *end,
			     struct devlog_msg *msg)
{
	const char *word = p, *word_end, *open;

	while (word < end && is_space(*word))
		word++;
	for (word_end = word; word_end < end && !is_space(*word_end); word_end++)
		;
	if (word_end == word || word_end[-1] != ':')
		return p;
	msg->tag = word;
	msg->tag_len = (size_t)(word_end - 1 - word);
	if (msg->tag_len > 0 && word[msg->tag_len - 1] == ']') {
		open = memrchr(word, '[', msg->tag_len - 1);
		if (open) {
			msg->pid = open + 1;
			msg->pid_len = (size_t)(word + msg->tag_len - 1 - msg->pid);
			msg->tag_len = (size_t)(open - word);
		}
	}
	if (msg->pid && msg->pid_len == 0)
		msg->pid = NULL;
	if (msg->tag_len == 0)
		msg->tag = NULL;
	return word_end < end ? word_end + 1 : word_end;
}

/* One space-ended field of an RFC 5424 header; "-" is no value. Returns
 * past its space, or NULL when the header ends too soon. */
static const char *field_5424(const char *p, const char *end,
			      const char **value, size_t *len)
{
	const char *start = p;

	while (p < end && *p != ' ')
		p++;
	if (p == start || p >= end)
		return NULL;
	*len = (size_t)(p - start);
	*value = *len == 1 && *start == '-' ? NULL : start;
	if (!*value)
		*len = 0;
	return p + 1;
}

/* STRUCTURED-DATA: "-" or "[...]" elements, where a quoted value may
 * hold an escaped ']'. Returns past it, or NULL when malformed. */
static const char *skip_structured_data(const char *p, const char *end)
{
	if (p < end && *p == '-')
		return p + 1;
	if (p >= end || *p != '[')
		return NULL;
	while (p < end && *p == '[') {
		bool quoted = false;

		for (p++; p < end && (quoted || *p != ']'); p++) {
			if (quoted && *p == '\\' && p + 1 < end)
				p++;
			else if (*p == '"')
				quoted = !quoted;
		}
		if (p >= end)
			return NULL;
		p++;
	}
	return p;
}

/* "1 TIMESTAMP HOST APP PROCID MSGID SD [MSG]" after the priority.
 * Returns false, with msg untouched, when p is not that. */
static bool parse_5424(const char *p, const char *end, struct devlog_msg *msg)
{
	const char *skip, *app, *procid;
	size_t skip_len, app_len, procid_len;

	if (end - p < 2 || p[0] != '1' || p[1] != ' ')
		return false;
	p += 2;
	if (!(p = field_5424(p, end, &skip, &skip_len)) ||	/* TIMESTAMP */
	    !(p = field_5424(p, end, &skip, &skip_len)) ||	/* HOSTNAME */
	    !(p = field_5424(p, end, &app, &app_len)) ||
	    !(p = field_5424(p, end, &procid, &procid_len)) ||
	    !(p = field_5424(p, end, &skip, &skip_len)) ||	/* MSGID */
	    !(p = skip_structured_data(p, end)))
		return false;
	if (p < end && *p == ' ')
		p++;
	else if (p < end)
		return false;
	if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;		/* the BOM that says MSG is UTF-8 */
	msg->tag = app;
	msg->tag_len = app_len;
	msg->pid = procid;
	msg->pid_len = procid_len;
	msg->text = p;
	msg->text_len = (size_t)(end - p);
	return true;
}

void devlog_parse(const char *buf, size_t len, struct devlog_msg *msg)
{
	const char *end = buf + len, *p;

	/* glibc once sent a NUL at the end; a program may add a newline. */
	while (end > buf && (end[-1] == '\n' || end[-1] == '\0'))
		end--;
	*msg = (struct devlog_msg){ .priority = DEVLOG_DEFAULT_PRIORITY,
				    .text = buf };
	p = parse_priority(buf, end, &msg->priority);
	if (!p) {
		/* A bare message: all of it is the text. */
		msg->text_len = (size_t)(end - buf);
		return;
	}
	if (parse_5424(p, end, msg))
		return;
	p = skip_bsd_timestamp(p, end);
	p = parse_tag(p, end, msg);
	msg->text = p;
	msg->text_len = (size_t)(end - p);
}
