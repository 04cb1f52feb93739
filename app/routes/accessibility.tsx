import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { env } from "~/utils/env.server";

// The accessibility statement, after GOV.UK's sample statement (what works, what does not
// yet, how to ask for another format, how to report a problem). Convene is not a public
// body, so it has no enforcement section. Keep "What does not work yet" true: it is a
// promise to the people who rely on it.

export const meta: MetaFunction = () => [{ title: "Accessibility statement · Convene" }];

export function loader() {
  return { contact: env().ACCESSIBILITY_CONTACT };
}

export default function Accessibility() {
  const { contact } = useLoaderData<typeof loader>();
  return (
    <div className="narrow prose">
      <h1>Accessibility statement for Convene</h1>
      <p>
        Convene is for everyone working on poverty and inequality in the UK, including disabled people and people with lived experience of poverty. We want as
        many people as possible to be able to use it. You should be able to:
      </p>
      <ul>
        <li>change colours, contrast levels and fonts using your browser or device settings</li>
        <li>zoom in up to 400% without the text spilling off the screen</li>
        <li>use every page with a keyboard alone, starting with a “Skip to main content” link</li>
        <li>use every page with a screen reader (for example NVDA, JAWS or VoiceOver) or speech recognition software</li>
        <li>register, join, claim a task and post a message without JavaScript</li>
        <li>use Convene on a phone without scrolling sideways</li>
      </ul>
      <p>
        When you register for an event you can tell the organisers what you need (live captions, a sign language interpreter, step-free access, a quiet room and
        more). Only the organisers see it, and it is deleted 30 days after the event.
      </p>

      <h2>How accessible this website is</h2>
      <p>We know some parts are not fully accessible yet:</p>
      <ul>
        <li>a moment hub's research board is wide: on a laptop screen its last columns are reached by scrolling the board sideways</li>
        <li>new messages in a live discussion are announced politely, but a long discussion is one long list</li>
        <li>slides, papers and recordings that organisers link to are theirs, and may not be accessible</li>
        <li>adding an event to your calendar takes you to Google, Outlook or Apple, whose pages we do not control</li>
        <li>we have not yet tested Convene with disabled people using their own assistive technology</li>
      </ul>

      <h2>What to do if you need something in a different format</h2>
      <p>
        If you need information from Convene in a different format, like large print, easy read, an audio recording or braille, email{" "}
        <a href={`mailto:${contact}`}>{contact}</a>. Tell us the page's address, and the format you need. We will reply within 5 working days.
      </p>

      <h2>Reporting accessibility problems with this website</h2>
      <p>
        We are always looking to improve. If you find a problem that is not listed on this page, or think we are not meeting the requirements below, email{" "}
        <a href={`mailto:${contact}`}>{contact}</a>. You do not need an account.
      </p>

      <h2>Technical information about this website's accessibility</h2>
      <p>
        Convene aims to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA. It is partially compliant, because of the problems listed
        above.
      </p>

      <h2>How we test</h2>
      <p>
        Every page our automated browser tests visit is checked against WCAG 2.2 A and AA rules with axe-core, at phone and laptop widths, and every change must
        pass them. We check the keyboard and no-JavaScript paths on every flow, and that every form tells you, next to the field, what is wrong.
      </p>

      <h2>Preparation of this accessibility statement</h2>
      <p>This statement was prepared on 30 November 2026. It is reviewed whenever Convene changes how a page works.</p>
      <p>
        <Link to="/">Back to Convene</Link>
      </p>
    </div>
  );
}
