//! Text formatting: Telegram's parse modes (HTML, MarkdownV2, Markdown) turned into plain text and
//! entities, with Telegram's errors for malformed markup.

use serde_json::{Value, json};

use super::Res;
use super::server::Reply;

pub(super) fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// UTF-16 length of a leading "/command" or "/command@bot".
pub(super) fn leading_command_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('/')?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '@'))
        .unwrap_or(rest.len());
    let command = &rest[..end];
    let name = command.split('@').next().unwrap_or_default();
    if name.is_empty() || name.len() > 32 {
        return None;
    }
    Some(1 + command.len())
}

type Parsed = (String, Vec<Value>);

pub(super) fn parse_text(
    text: &str,
    parse_mode: Option<&str>,
    entities: Option<Value>,
) -> Res<Parsed> {
    let parsed = match parse_mode.map(str::to_ascii_lowercase).as_deref() {
        None => {
            let entities = match entities {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            };
            return Ok((text.to_owned(), entities));
        }
        Some("html") => parse_html(text),
        Some("markdownv2") => parse_markdown_v2(text),
        Some("markdown") => parse_markdown_v1(text),
        Some(_) => return Err(Reply::bad("unsupported parse_mode")),
    };
    parsed.map_err(|e| Reply::bad(format!("can't parse entities: {e}")))
}

fn entity(kind: &str, offset: usize, length: usize) -> Value {
    json!({"type": kind, "offset": offset, "length": length})
}

fn sort_entities(entities: &mut [Value]) {
    let key = |e: &Value| {
        let o = e.get("offset").and_then(Value::as_u64).unwrap_or(0);
        let l = e.get("length").and_then(Value::as_u64).unwrap_or(0);
        (o, std::cmp::Reverse(l))
    };
    entities.sort_by_key(key);
}

fn normalize_url(url: &str) -> String {
    if url.contains("://") || url.starts_with("tg:") || url.starts_with("mailto:") {
        url.to_owned()
    } else {
        format!("http://{url}")
    }
}

/// `&lt;` `&gt;` `&amp;` `&quot;` `&#NN;` `&#xHH;` at the start of `s`: (char, byte length).
fn decode_html_entity(s: &str) -> Option<(char, usize)> {
    let semi = s.find(';').filter(|&i| i <= 10)?;
    let name = &s[1..semi];
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code).filter(|&c| c != '\0')?
        }
    };
    Some((c, semi + 1))
}

fn decode_html_text(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        if c == '&' {
            let (d, len) = decode_html_entity(&s[i..]).ok_or_else(|| {
                format!("Character '&' at byte offset {i} must be escaped as &amp;")
            })?;
            out.push(d);
            i += len;
        } else {
            out.push(c);
            i += c.len_utf8();
        }
    }
    Ok(out)
}

fn parse_html_attrs(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut attrs = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('/') {
            rest = r.trim_start();
            continue;
        }
        let n = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        if n == 0 {
            return Err("Expected equal sign in declaration of an attribute".into());
        }
        let key = rest[..n].to_ascii_lowercase();
        rest = rest[n..].trim_start();
        let mut value = String::new();
        if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            match r.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &r[1..];
                    let close = body.find(q).ok_or("Unclosed end of attribute value")?;
                    value = decode_html_text(&body[..close])?;
                    rest = body[close + 1..].trim_start();
                }
                _ => {
                    let end = r.find(char::is_whitespace).unwrap_or(r.len());
                    value = decode_html_text(&r[..end])?;
                    rest = r[end..].trim_start();
                }
            }
        }
        attrs.push((key, value));
    }
    Ok(attrs)
}

/// Telegram's HTML style: returns the plain text and its entities (offsets in UTF-16 units).
pub(super) fn parse_html(src: &str) -> Result<Parsed, String> {
    struct Open {
        tag: String,
        start: usize,
        entity: Option<Value>,
        code_language: Option<String>,
    }
    let mut out = String::with_capacity(src.len());
    let mut pos = 0usize;
    let mut stack: Vec<Open> = Vec::new();
    let mut entities = Vec::new();
    let mut i = 0;
    while let Some(c) = src[i..].chars().next() {
        if c == '&' {
            let (d, len) = decode_html_entity(&src[i..]).ok_or_else(|| {
                format!("Character '&' at byte offset {i} must be escaped as &amp;")
            })?;
            out.push(d);
            pos += d.len_utf16();
            i += len;
            continue;
        }
        if c != '<' {
            out.push(c);
            pos += c.len_utf16();
            i += c.len_utf8();
            continue;
        }
        let rest = &src[i..];
        let end = rest
            .find('>')
            .ok_or_else(|| format!("Unclosed start tag at byte offset {i}"))?;
        let inner = &rest[1..end];
        if let Some(name) = inner.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            let open = stack
                .pop()
                .ok_or_else(|| format!("Unexpected end tag at byte offset {i}"))?;
            if name != open.tag {
                return Err(format!(
                    "Unmatched end tag at byte offset {i}, expected \"</{}>\", found \"</{name}>\"",
                    open.tag
                ));
            }
            if let Some(mut e) = open.entity
                && pos > open.start
            {
                e["offset"] = json!(open.start);
                e["length"] = json!(pos - open.start);
                entities.push(e);
            }
            if let Some(lang) = open.code_language
                && let Some(pre) = stack.last_mut().and_then(|o| o.entity.as_mut())
            {
                pre["language"] = json!(lang);
            }
            i += end + 1;
            continue;
        }
        let name_len = inner
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-'))
            .unwrap_or(inner.len());
        let name = inner[..name_len].to_ascii_lowercase();
        if name.is_empty() {
            return Err(format!(
                "Character '<' at byte offset {i} must be escaped as &lt;"
            ));
        }
        let attrs = parse_html_attrs(&inner[name_len..])?;
        let attr = |k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
        let parent_is_pre = stack.last().is_some_and(|o| o.tag == "pre");
        let mut code_language = None;
        let entity_value = match name.as_str() {
            "b" | "strong" => Some(entity("bold", 0, 0)),
            "i" | "em" => Some(entity("italic", 0, 0)),
            "u" | "ins" => Some(entity("underline", 0, 0)),
            "s" | "strike" | "del" => Some(entity("strikethrough", 0, 0)),
            "tg-spoiler" => Some(entity("spoiler", 0, 0)),
            "span" => {
                if attr("class").as_deref() != Some("tg-spoiler") {
                    return Err("Tag \"span\" must have class \"tg-spoiler\"".into());
                }
                Some(entity("spoiler", 0, 0))
            }
            "a" => attr("href").filter(|h| !h.is_empty()).map(|href| {
                let mut e = entity("text_link", 0, 0);
                e["url"] = json!(normalize_url(&href));
                e
            }),
            "code" => {
                if parent_is_pre {
                    code_language =
                        attr("class").and_then(|c| c.strip_prefix("language-").map(str::to_owned));
                    None
                } else {
                    Some(entity("code", 0, 0))
                }
            }
            "pre" => Some(entity("pre", 0, 0)),
            "blockquote" => Some(entity(
                if attr("expandable").is_some() {
                    "expandable_blockquote"
                } else {
                    "blockquote"
                },
                0,
                0,
            )),
            "tg-emoji" => {
                let id = attr("emoji-id")
                    .filter(|v| !v.is_empty())
                    .ok_or("Custom emoji identifier must be non-empty")?;
                let mut e = entity("custom_emoji", 0, 0);
                e["custom_emoji_id"] = json!(id);
                Some(e)
            }
            _ => {
                return Err(format!(
                    "Unsupported start tag \"{name}\" at byte offset {i}"
                ));
            }
        };
        stack.push(Open {
            tag: name,
            start: pos,
            entity: entity_value,
            code_language,
        });
        i += end + 1;
    }
    if let Some(open) = stack.last() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{}\"",
            open.tag
        ));
    }
    sort_entities(&mut entities);
    Ok((out, entities))
}

/// Tags removed and entities decoded without validation (for [`SentMessage::plain_text`]).
pub(super) fn strip_tags_lenient(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

const MARKDOWN_V2_RESERVED: &str = "_*[]()~`>#+-=|{}.!";

/// Telegram's MarkdownV2 style (simplified like tdlib: any reserved character outside a
/// well-formed entity must be escaped with '\').
pub(super) fn parse_markdown_v2(src: &str) -> Result<Parsed, String> {
    #[derive(Clone, Copy, PartialEq)]
    enum K {
        Bold,
        Italic,
        Underline,
        Strike,
        Spoiler,
        Code,
        Pre,
        Link,
        Emoji,
    }
    impl K {
        fn name(self) -> &'static str {
            match self {
                K::Bold => "Bold",
                K::Italic => "Italic",
                K::Underline => "Underline",
                K::Strike => "Strikethrough",
                K::Spoiler => "Spoiler",
                K::Code => "Code",
                K::Pre => "Pre",
                K::Link => "TextUrl",
                K::Emoji => "CustomEmoji",
            }
        }
        fn entity_type(self) -> &'static str {
            match self {
                K::Bold => "bold",
                K::Italic => "italic",
                K::Underline => "underline",
                K::Strike => "strikethrough",
                K::Spoiler => "spoiler",
                K::Code => "code",
                K::Pre => "pre",
                K::Link => "text_link",
                K::Emoji => "custom_emoji",
            }
        }
    }
    struct Open {
        k: K,
        start: usize,
        byte: usize,
        language: Option<String>,
    }
    let cs: Vec<(usize, char)> = src.char_indices().collect();
    let at = |j: usize| cs.get(j).map(|x| x.1);
    let mut out = String::with_capacity(src.len());
    let mut pos = 0usize;
    let mut stack: Vec<Open> = Vec::new();
    let mut entities = Vec::new();
    let mut quote: Option<(usize, bool)> = None;
    let mut i = 0;
    let reserved = |c: char| {
        format!("Character '{c}' is reserved and must be escaped with the preceding '\\'")
    };
    while i < cs.len() {
        let (byte, c) = cs[i];
        if c == '\\'
            && let Some(n) = at(i + 1)
            && (1..127).contains(&(n as u32))
        {
            out.push(n);
            pos += 1;
            i += 2;
            continue;
        }
        let top = stack.last().map(|o| o.k);
        if matches!(top, Some(K::Code | K::Pre)) {
            if c == '`' {
                let closes_pre = at(i + 1) == Some('`') && at(i + 2) == Some('`');
                if top == Some(K::Pre) && !closes_pre {
                    return Err(reserved(c));
                }
                let open = stack.pop().ok_or_else(|| reserved(c))?;
                if pos > open.start {
                    let mut e = entity(open.k.entity_type(), open.start, pos - open.start);
                    if let Some(lang) = open.language {
                        e["language"] = json!(lang);
                    }
                    entities.push(e);
                }
                i += if top == Some(K::Pre) { 3 } else { 1 };
            } else {
                out.push(c);
                pos += c.len_utf16();
                i += 1;
            }
            continue;
        }
        let line_start = i == 0 || cs[i - 1].1 == '\n';
        if line_start && stack.is_empty() {
            if c == '>' {
                quote.get_or_insert((pos, false));
                i += 1;
                continue;
            }
            if c == '*' && at(i + 1) == Some('*') && at(i + 2) == Some('>') {
                quote.get_or_insert((pos, true));
                i += 3;
                continue;
            }
        }
        if c == '\n' {
            let next_quoted = at(i + 1) == Some('>')
                || (at(i + 1) == Some('*') && at(i + 2) == Some('*') && at(i + 3) == Some('>'));
            if let Some((start, expandable)) = quote
                && !next_quoted
            {
                if pos > start {
                    entities.push(entity(
                        if expandable {
                            "expandable_blockquote"
                        } else {
                            "blockquote"
                        },
                        start,
                        pos - start,
                    ));
                }
                quote = None;
            }
            out.push(c);
            pos += 1;
            i += 1;
            continue;
        }
        if !MARKDOWN_V2_RESERVED.contains(c) {
            out.push(c);
            pos += c.len_utf16();
            i += 1;
            continue;
        }
        // Does it close the innermost entity?
        let closing = match (top, c) {
            (Some(K::Bold), '*') => Some(1),
            (Some(K::Underline), '_') if at(i + 1) == Some('_') => Some(2),
            (Some(K::Italic), '_') => Some(1),
            (Some(K::Strike), '~') => Some(1),
            (Some(K::Spoiler), '|') if at(i + 1) == Some('|') => Some(2),
            (Some(K::Link | K::Emoji), ']') => Some(1),
            _ => None,
        };
        if let Some(len) = closing {
            let open = stack.pop().ok_or_else(|| reserved(c))?;
            i += len;
            let mut e = entity(open.k.entity_type(), open.start, pos - open.start);
            if matches!(open.k, K::Link | K::Emoji) {
                // "(url)" follows; inside it only ')' and '\' need escaping.
                let mut url = String::new();
                if at(i) == Some('(') {
                    let url_start = cs.get(i).map(|x| x.0).unwrap_or(src.len());
                    i += 1;
                    loop {
                        match at(i) {
                            None => {
                                return Err(format!(
                                    "Can't find end of a URL at byte offset {url_start}"
                                ));
                            }
                            Some(')') => {
                                i += 1;
                                break;
                            }
                            Some('\\') if at(i + 1).is_some() => {
                                url.extend(at(i + 1));
                                i += 2;
                            }
                            Some(ch) => {
                                url.push(ch);
                                i += 1;
                            }
                        }
                    }
                }
                if open.k == K::Emoji {
                    let id = url
                        .strip_prefix("tg://emoji?id=")
                        .filter(|id| !id.is_empty())
                        .ok_or("Custom emoji entity must contain a tg://emoji URL")?;
                    e["custom_emoji_id"] = json!(id);
                } else if url.is_empty() {
                    continue;
                } else {
                    e["url"] = json!(normalize_url(&url));
                }
            }
            if pos > open.start {
                entities.push(e);
            }
            continue;
        }
        let (k, len) = match c {
            '*' => (K::Bold, 1),
            '_' if at(i + 1) == Some('_') => (K::Underline, 2),
            '_' => (K::Italic, 1),
            '~' => (K::Strike, 1),
            '|' if at(i + 1) == Some('|') => (K::Spoiler, 2),
            '`' if at(i + 1) == Some('`') && at(i + 2) == Some('`') => (K::Pre, 3),
            '`' => (K::Code, 1),
            '[' => (K::Link, 1),
            '!' if at(i + 1) == Some('[') => (K::Emoji, 2),
            _ => return Err(reserved(c)),
        };
        i += len;
        let mut language = None;
        if k == K::Pre {
            // ```language\n
            let mut j = i;
            while let Some(ch) = at(j) {
                if ch == '\n' || ch == '`' || ch.is_whitespace() {
                    break;
                }
                j += 1;
            }
            if j > i && at(j) == Some('\n') {
                language = Some(cs[i..j].iter().map(|x| x.1).collect::<String>());
                i = j + 1;
            } else if at(i) == Some('\n') {
                i += 1;
            }
        }
        stack.push(Open {
            k,
            start: pos,
            byte,
            language,
        });
    }
    if let Some(open) = stack.last() {
        return Err(format!(
            "Can't find end of {} entity at byte offset {}",
            open.k.name(),
            open.byte
        ));
    }
    if let Some((start, expandable)) = quote
        && pos > start
    {
        entities.push(entity(
            if expandable {
                "expandable_blockquote"
            } else {
                "blockquote"
            },
            start,
            pos - start,
        ));
    }
    sort_entities(&mut entities);
    Ok((out, entities))
}

/// Telegram's legacy Markdown style: *bold* _italic_ `code` ```pre``` [text](url).
pub(super) fn parse_markdown_v1(src: &str) -> Result<Parsed, String> {
    let cs: Vec<(usize, char)> = src.char_indices().collect();
    let at = |j: usize| cs.get(j).map(|x| x.1);
    let mut out = String::new();
    let mut pos = 0usize;
    let mut entities = Vec::new();
    let mut i = 0;
    let unclosed = |b: usize| format!("Can't find end of the entity starting at byte offset {b}");
    while i < cs.len() {
        let (byte, c) = cs[i];
        if c == '\\' && at(i + 1).is_some_and(|n| "_*`[".contains(n)) {
            if let Some(n) = at(i + 1) {
                out.push(n);
                pos += 1;
            }
            i += 2;
            continue;
        }
        let (kind, open_len, close): (&str, usize, &str) = match c {
            '*' => ("bold", 1, "*"),
            '_' => ("italic", 1, "_"),
            '`' if at(i + 1) == Some('`') && at(i + 2) == Some('`') => ("pre", 3, "```"),
            '`' => ("code", 1, "`"),
            '[' => ("text_link", 1, "]"),
            _ => {
                out.push(c);
                pos += c.len_utf16();
                i += 1;
                continue;
            }
        };
        let content_start = byte + open_len;
        let rel = src[content_start..]
            .find(close)
            .ok_or_else(|| unclosed(byte))?;
        let content = &src[content_start..content_start + rel];
        let mut after = content_start + rel + close.len();
        let mut e = entity(kind, pos, 0);
        let mut text = content.to_owned();
        if kind == "pre"
            && let Some((first, body)) = content.split_once('\n')
            && !first.is_empty()
            && !first.contains(char::is_whitespace)
        {
            e["language"] = json!(first);
            text = body.to_owned();
        }
        if kind == "text_link" {
            let rest = &src[after..];
            if let Some(r) = rest.strip_prefix('(') {
                let close_paren = r.find(')').ok_or_else(|| unclosed(byte))?;
                e["url"] = json!(normalize_url(&r[..close_paren]));
                after += 1 + close_paren + 1;
            } else {
                return Err(unclosed(byte));
            }
        }
        let len = utf16_len(&text);
        out.push_str(&text);
        if len > 0 {
            e["length"] = json!(len);
            entities.push(e);
        }
        pos += len;
        i = cs.iter().position(|x| x.0 >= after).unwrap_or(cs.len());
    }
    sort_entities(&mut entities);
    Ok((out, entities))
}
