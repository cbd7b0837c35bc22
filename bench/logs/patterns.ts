/** bench/logs.ts, the peers' patterns: the syslog preset for mtail (RE2) and for grep (ERE). */

// The syslog preset's regexes (presets.ts) rewritten for RE2 (mtail) and POSIX ERE (grep), for
// ASCII text (which the generated file is). JavaScript's `errors?(?!=)\b` has no lookahead in
// RE2 or ERE: "error(s) followed by neither a word character nor =, or at the end" is the same.
// `first ": " after the prefix` is `X: ` with X holding no ": " (it may end in colons).
const RE2_PREFIX =
  '(?:[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)) \\S+ ';
const RE2_UP_TO_TAG_END = '(?:[^:]|:+[^: ])*:*: ';
const RE2_KLOG_REST = '\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} +\\d+ [^\\]]+\\] ';
const RE2_ERROR_WORDS =
  '(?i)\\b(?:errors?(?:[^0-9A-Za-z_=]|$)|(?:fail(?:s|ed|ing|ures?)?|fatal|panic(?:s|ked|king)?|segfaults?|out of memory|call trace)\\b)';
const RE2_WARNING_WORDS = '(?i)\\bwarn(?:s|ed|ings?)?\\b';

/** patrol's syslog preset in mtail's language: every level, each line counted once (else chains). */
export const MTAIL_PROGRAM = `# patrol's syslog preset (src/collectors/logs/presets.ts, classifySyslog), for bench/logs.ts.
counter log_lines_total by level

# A klog header after the first ": " that follows the syslog prefix, or at the start of a line.
/^(?:${RE2_PREFIX}${RE2_UP_TO_TAG_END})?(?P<klog>[IWEF])${RE2_KLOG_REST}/ {
  $klog == "F" {
    log_lines_total["critical"]++
  }
  $klog == "E" {
    log_lines_total["error"]++
  }
  $klog == "W" {
    log_lines_total["warning"]++
  }
  $klog == "I" {
    log_lines_total["info"]++
  }
} else {
  /${RE2_ERROR_WORDS}/ {
    log_lines_total["error"]++
  } else {
    /${RE2_WARNING_WORDS}/ {
      log_lines_total["warning"]++
    } else {
      /^${RE2_PREFIX}/ {
        log_lines_total["info"]++
      } else {
        log_lines_total["other"]++
      }
    }
  }
}
`;

/** Each letter as [Xx]: case-insensitive words without -i, so the klog letters stay upper case. */
const anyCase = (s: string) =>
  s.replace(/[a-z]/gi, (c) => `[${c.toUpperCase()}${c.toLowerCase()}]`);
const ERE_PREFIX =
  '([A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})) [^[:space:]]+ ';
const ERE_KLOG_ERROR = '[EF][0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6} +[0-9]+ [^]]+\\] ';
const ERE_ERROR_WORDS = `\\b(${anyCase('error')}(${anyCase('s')})?([^[:alnum:]_=]|$)|(${anyCase('fail')}(${anyCase('s')}|${anyCase('ed')}|${anyCase('ing')}|${anyCase('ure')}(${anyCase('s')})?)?|${anyCase('fatal')}|${anyCase('panic')}(${anyCase('s')}|${anyCase('ked')}|${anyCase('king')})?|${anyCase('segfault')}(${anyCase('s')})?|${anyCase('out of memory')}|${anyCase('call trace')})\\b)`;
/**
 * Lines the syslog preset calls error or critical, as far as one ERE can tell: a klog E or F
 * header where the preset looks for one, or an error word anywhere. It also selects klog I and W
 * lines that contain an error word (the preset goes by their letter), which the check accounts for.
 */
export const GREP_PATTERN = `^(${ERE_PREFIX}([^:]|:+[^: ])*:*: )?${ERE_KLOG_ERROR}|${ERE_ERROR_WORDS}`;
