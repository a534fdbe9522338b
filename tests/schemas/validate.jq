# validate.jq - the JSON Schema keywords our request schemas use, in jq
# (which `make test` has): type, enum, const, required, properties,
# additionalProperties (false or a schema), items, minItems, maxItems,
# minLength, maxLength, pattern, minimum, anyOf, oneOf and $ref to
# "#/$defs/NAME" (description is only words).
# Usage: jq -r --slurpfile schema S.json -f validate.jq BODY.json
# Prints "valid", or one line per violation: its path, then what is wrong.
def typeok($t):
  if $t == "integer" then type == "number" and . == floor
  else type == $t end;

def check($s; $root; $path):
  . as $v
  | if ($s | has("$ref")) then
      check($root["$defs"][$s["$ref"] | sub("^#/\\$defs/"; "")]; $root; $path)
    else
      ( if ($s | has("type")) and
           (([$s.type] | flatten) | map(. as $t | $v | typeok($t)) | any | not)
        then ["\($path): is \($v | type), not \($s.type)"] else [] end )
      + ( if ($s | has("enum")) and ($s.enum | index([$v]) | not)
          then ["\($path): \($v | tojson) is none of \($s.enum | tojson)"] else [] end )
      + ( if ($s | has("const")) and $v != $s.const
          then ["\($path): \($v | tojson) is not \($s.const | tojson)"] else [] end )
      + ( if ($v | type) == "object" then
            ( [($s.required // [])[] | select(. as $k | $v | has($k) | not)
               | "\($path): \(.) is required"] )
            + ( [$v | to_entries[] | .key as $k | .value as $x
                 | if ($s.properties // {} | has($k)) then
                     $x | check($s.properties[$k]; $root; "\($path).\($k)")[]
                   elif $s.additionalProperties == false then
                     "\($path): \($k) is not allowed"
                   elif ($s.additionalProperties | type) == "object" then
                     $x | check($s.additionalProperties; $root; "\($path).\($k)")[]
                   else empty end] )
          else [] end )
      + ( if ($v | type) == "array" then
            ( if ($s | has("minItems")) and ($v | length) < $s.minItems
              then ["\($path): fewer than \($s.minItems) items"] else [] end )
            + ( if ($s | has("maxItems")) and ($v | length) > $s.maxItems
                then ["\($path): more than \($s.maxItems) items"] else [] end )
            + ( if ($s | has("items")) then
                  [range(0; $v | length) as $i
                   | $v[$i] | check($s.items; $root; "\($path)[\($i)]")[]]
                else [] end )
          else [] end )
      + ( if ($v | type) == "string" and ($s | has("minLength")) and
             ($v | length) < $s.minLength
          then ["\($path): shorter than \($s.minLength)"] else [] end )
      + ( if ($v | type) == "string" and ($s | has("maxLength")) and
             ($v | length) > $s.maxLength
          then ["\($path): longer than \($s.maxLength)"] else [] end )
      + ( if ($v | type) == "string" and ($s | has("pattern")) and
             ($v | test($s.pattern) | not)
          then ["\($path): \($v | tojson) does not match \($s.pattern)"] else [] end )
      + ( if ($v | type) == "number" and ($s | has("minimum")) and $v < $s.minimum
          then ["\($path): below \($s.minimum)"] else [] end )
      + ( if ($s | has("anyOf")) and
             ([$s.anyOf[] as $a | $v | check($a; $root; $path) | length == 0] | any | not)
          then ["\($path): matches none of anyOf"] else [] end )
      + ( if ($s | has("oneOf")) and
             ([$s.oneOf[] as $a | $v | check($a; $root; $path) | select(length == 0)] | length) != 1
          then ["\($path): does not match exactly one of oneOf"] else [] end )
    end;

$schema[0] as $root
| check($root; $root; "$") as $errors
| if ($errors | length) == 0 then "valid" else $errors[] end
