import { useLocation, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";

/**
 * After a followed link changes the page's path, focus moves to the new page's main
 * heading, so a screen reader says where the person now is and the next Tab starts from the
 * content (GOV.UK's and React Router's guidance for client-side navigation). Not after a
 * form post (its flash message is announced where it is), nor when only the query changes
 * (a filter) or a link jumps to an anchor on the page.
 */
export function FocusOnNewPage() {
  const location = useLocation();
  const navigation = useNavigation();
  const submitted = useRef(false);
  const previousPath = useRef(location.pathname);

  useEffect(() => {
    const method = navigation.formMethod?.toUpperCase();
    if (navigation.state !== "idle" && method && method !== "GET") submitted.current = true;
  }, [navigation.state, navigation.formMethod]);

  useEffect(() => {
    const was = previousPath.current;
    previousPath.current = location.pathname;
    const afterPost = submitted.current;
    submitted.current = false;
    if (was === location.pathname || afterPost || location.hash) return;
    const heading = document.querySelector<HTMLElement>("main h1");
    if (!heading) return;
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus();
  }, [location.pathname, location.hash]);

  return null;
}
