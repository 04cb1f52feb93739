import { Form } from "@remix-run/react";
import { ACCESS_LABELS } from "~/components/events";

// Who is coming, with their access needs, and (once the event has started) who came.

export type Attendee = {
  id: string;
  name: string;
  email: string;
  status: string;
  organisations: string[];
  accessNeeds: string[];
  accessNotes: string | null;
  attended: boolean | null;
};

export function AttendeeTable({ attendees, started }: { attendees: Attendee[]; started: boolean }) {
  const confirmed = attendees.filter((a) => a.status === "confirmed");
  const waitlisted = attendees.filter((a) => a.status === "waitlisted");
  return (
    <section aria-labelledby="attendees-heading">
      <h2 id="attendees-heading">
        Confirmed ({confirmed.length}) and waitlist ({waitlisted.length})
      </h2>
      {attendees.length === 0 ? (
        <p>No one has registered yet.</p>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="attendance" />
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Organisations</th>
                  <th scope="col">Status</th>
                  <th scope="col">Access needs</th>
                  {started ? <th scope="col">Attended</th> : null}
                </tr>
              </thead>
              <tbody>
                {attendees.map((a) => (
                  <tr key={a.id}>
                    <td>
                      {a.name}
                      <br />
                      <span className="muted small">{a.email}</span>
                    </td>
                    <td>{a.organisations.join(", ") || <span className="muted">None listed</span>}</td>
                    <td>{a.status === "confirmed" ? "Confirmed" : "Waitlist"}</td>
                    <td>
                      {[...a.accessNeeds.map((n) => ACCESS_LABELS[n] ?? n), ...(a.accessNotes ? [a.accessNotes] : [])].join("; ") || (
                        <span className="muted">None</span>
                      )}
                    </td>
                    {started ? (
                      <td>
                        {a.status === "confirmed" ? (
                          <label>
                            <input type="checkbox" name="present" value={a.id} defaultChecked={a.attended === true} />
                            <span className="visually-hidden"> {a.name} attended</span>
                          </label>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {started ? (
            <button type="submit" className="button secondary" style={{ marginTop: "0.75rem" }}>
              Save attendance
            </button>
          ) : null}
        </Form>
      )}
      <p className="muted small">Access needs are deleted 30 days after the event.</p>
    </section>
  );
}
