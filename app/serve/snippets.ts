/** Copy-and-paste starters for querying a served index from a script. */
export interface SnippetTarget {
  url: string;
  index: string;
  dim: number;
  k: number;
  token: boolean;
}

function base(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Python with its standard library alone (urllib): a fresh Python has no `requests`. */
export function pythonSnippet(t: SnippetTarget): string {
  const auth = t.token ? ', "Authorization": "Bearer " + TOKEN' : '';
  return [
    'import json, urllib.request',
    ...(t.token ? ['TOKEN = "..."  # the --token given to the server, or the token= in the address it printed'] : []),
    `query = [0.0] * ${t.dim}  # your ${t.dim}-dimensional vector`,
    'req = urllib.request.Request(',
    `    "${base(t.url)}/v1/indexes/${t.index}/search",`,
    `    data=json.dumps({"vectors": [query], "k": ${t.k}}).encode(),`,
    `    headers={"Content-Type": "application/json"${auth}},`,
    ')',
    'with urllib.request.urlopen(req) as r:  # raises on an HTTP error',
    '    answer = json.load(r)',
    'print(answer["labels"][0], answer["distances"][0])',
  ].join('\n');
}

export function curlSnippet(t: SnippetTarget): string {
  const vector = `[${new Array(t.dim).fill(0).join(',')}]`;
  const auth = t.token ? ` -H "Authorization: Bearer $TOKEN"` : '';
  return `curl -s -X POST${auth} -H "Content-Type: application/json" -d '{"vectors": [${vector}], "k": ${t.k}}' ${base(t.url)}/v1/indexes/${t.index}/search`;
}
