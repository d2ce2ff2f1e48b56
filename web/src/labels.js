// Chinese names of the schema's enum values, read from the schema itself: every value's
// description names it in Chinese in parentheses, e.g. "A school or kindergarten (学校)." — so
// the pages and the API say the same thing and no second dictionary drifts from the schema.

const CJK = /[\u3400-\u9fff]/;

// chineseName is the first parenthesised Chinese term of a description ("" when none).
export function chineseName(description) {
  for (const m of (description || '').matchAll(/[（(]([^()（）]+)[)）]/g)) {
    if (CJK.test(m[1])) return m[1].split(/[,，;；:：]/).map((s) => s.trim()).find((s) => CJK.test(s)) || '';
  }
  return '';
}

// loadLabels reads the named enums' values with their descriptions in one request and returns
// label(enumName, value): the value's Chinese name, or the value itself.
export async function loadLabels(gql, enums) {
  const fields = enums.map((e, i) => `e${i}: __type(name: "${e}") { enumValues { name description } }`).join('\n');
  const data = await gql(`{ ${fields} }`);
  const table = new Map();
  enums.forEach((e, i) => {
    const m = new Map();
    for (const v of data[`e${i}`]?.enumValues || []) m.set(v.name, chineseName(v.description) || v.name);
    table.set(e, m);
  });
  return (e, value) => table.get(e)?.get(value) || value;
}
