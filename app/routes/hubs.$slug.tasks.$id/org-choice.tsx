// "On behalf of": the organisation a person claims or helps for (hidden when they have one).
export function OrgChoice({ orgs, id }: { orgs: { id: string; name: string }[]; id: string }) {
  if (orgs.length <= 1) return orgs[0] ? <input type="hidden" name="orgId" value={orgs[0].id} /> : null;
  return (
    <div className="field">
      <label htmlFor={id}>On behalf of</label>
      <select id={id} name="orgId">
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}
