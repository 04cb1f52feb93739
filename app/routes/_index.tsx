import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Convene: convening on poverty and inequality" }];

export async function loader({ context }: LoaderFunctionArgs) {
  return { signedIn: !!context.auth.user };
}

export default function Index() {
  const { signedIn } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Work together on poverty and inequality</h1>
      <p className="lede">
        Convene is where charities, think tanks, advice services, universities, councils, funders and lived-experience groups run webinars, join communities of
        practice, and split up the research around political moments, so that nobody duplicates anybody else's work.
      </p>
      {signedIn ? null : (
        <p className="actions">
          <Link className="button" to="/signup">
            Create an account
          </Link>
          <Link className="button secondary" to="/login">
            Log in
          </Link>
        </p>
      )}
      <ul className="cards">
        <li>
          <h2>
            <Link to="/events">Events</Link>
          </h2>
          <p>Register for webinars, workshops and meetings, and say what access provisions you need.</p>
        </li>
        <li>
          <h2>
            <Link to="/communities">Communities</Link>
          </h2>
          <p>Join a community of practice and talk with people working on the same questions.</p>
        </li>
        <li>
          <h2>
            <Link to="/hubs">Moment hubs</Link>
          </h2>
          <p>Around a Budget or an election: see which questions are taken, claim one, or join a team.</p>
        </li>
        <li>
          <h2>
            <Link to="/directory">Directory</Link>
          </h2>
          <p>Find partner organisations by type, region and focus.</p>
        </li>
      </ul>
    </>
  );
}
