export function ComingSoon({ title, lede, what }: { title: string; lede: string; what: string[] }) {
  return (
    <>
      <h1>{title}</h1>
      <p className="lede">{lede}</p>
      <div className="panel">
        <h2 style={{ marginTop: 0 }}>Coming soon</h2>
        <p>This part of Convene is being built. When it opens you will be able to:</p>
        <ul>
          {what.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      </div>
    </>
  );
}
