import { eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { hashPassword } from "../app/auth/password.server";
import { historySentence } from "../app/models/task-history";
import { renderMarkdown } from "../app/utils/markdown.server";
import { seal, sealingAvailable } from "../app/utils/sealed.server";
import type { Database, DbHandle } from "./client";
import type { OrganisationType, PaymentClaim, TaskStatus, ThreadKind } from "./schema";
import * as schema from "./schema";

// Realistic, fictional demo data. Seeded on the first start of the embedded database,
// or when SEED_DEMO=1; never otherwise. Dates are relative to the day of seeding.
// Later areas add their own seed functions to SEEDERS.

export const DEMO_ADMIN = { email: "admin@convene.example", password: "convene-admin-demo", name: "Amara Okafor" };
export const DEMO_PASSWORD = "convene-demo-pass";

type OrgSeed = {
  slug: string;
  name: string;
  type: OrganisationType;
  regions: string[];
  focusAreas: string[];
  website: string;
  about: string;
};

export const DEMO_ORGS: OrgSeed[] = [
  {
    slug: "northern-poverty-action",
    name: "Northern Poverty Action",
    type: "charity",
    regions: ["North East", "Yorkshire and the Humber"],
    focusAreas: ["child poverty", "social security"],
    website: "https://northern-poverty-action.example.org",
    about: "A regional charity campaigning to end child poverty in the North, working with families and local services since 1998.",
  },
  {
    slug: "fairshare-institute",
    name: "Fairshare Institute",
    type: "think_tank",
    regions: ["UK-wide"],
    focusAreas: ["tax and benefits", "living standards", "micro-simulation"],
    website: "https://fairshare-institute.example.org",
    about: "An independent think tank modelling the distributional impact of tax and benefit policy on households across the UK.",
  },
  {
    slug: "citywide-advice-network",
    name: "Citywide Advice Network",
    type: "advice_service",
    regions: ["London"],
    focusAreas: ["debt advice", "social security", "housing"],
    website: "https://citywide-advice.example.org",
    about: "Free, confidential advice on benefits, debt and housing from 14 centres across London, with anonymised casework data on what people bring to us.",
  },
  {
    slug: "foodshare-alliance",
    name: "Foodshare Alliance",
    type: "food_bank_network",
    regions: ["UK-wide"],
    focusAreas: ["food insecurity", "cost of living"],
    website: "https://foodshare-alliance.example.org",
    about: "A network of 230 independent food banks sharing data on need, referrals and the causes behind them.",
  },
  {
    slug: "centre-for-household-economics",
    name: "Centre for Household Economics, University of Midshire",
    type: "university",
    regions: ["East Midlands", "UK-wide"],
    focusAreas: ["micro-simulation", "living standards", "disability"],
    website: "https://che.midshire.example.ac.uk",
    about: "A university research centre working on household incomes, minimum income standards and the extra costs of disability.",
  },
  {
    slug: "riverside-borough-council",
    name: "Riverside Borough Council",
    type: "local_authority",
    regions: ["West Midlands"],
    focusAreas: ["local welfare", "housing", "council tax support"],
    website: "https://riverside-borough.example.gov.uk",
    about: "The council's anti-poverty team runs the local welfare assistance scheme and publishes local data on council tax support and arrears.",
  },
  {
    slug: "voices-of-experience",
    name: "Voices of Experience",
    type: "lived_experience_group",
    regions: ["Wales", "South West"],
    focusAreas: ["lived experience", "social security", "disability"],
    website: "https://voices-of-experience.example.org",
    about: "A collective of people with direct experience of poverty, paid for their expertise, who shape research and policy from the start.",
  },
  {
    slug: "the-hartley-trust",
    name: "The Hartley Trust",
    type: "funder",
    regions: ["UK-wide"],
    focusAreas: ["poverty research", "systems change"],
    website: "https://hartley-trust.example.org",
    about: "An independent foundation funding research and collaboration on poverty and economic inequality across the UK.",
  },
  {
    slug: "scottish-fair-work-forum",
    name: "Scottish Fair Work Forum",
    type: "charity",
    regions: ["Scotland"],
    focusAreas: ["low pay", "in-work poverty"],
    website: "https://fairworkforum.example.scot",
    about: "Bringing together employers, unions and researchers on low pay, insecure work and in-work poverty in Scotland.",
  },
  {
    slug: "housing-justice-lab",
    name: "Housing Justice Lab",
    type: "think_tank",
    regions: ["UK-wide", "London"],
    focusAreas: ["housing", "homelessness", "Local Housing Allowance"],
    website: "https://housingjusticelab.example.org",
    about: "Research and data on private renting, the Local Housing Allowance and routes into homelessness.",
  },
  {
    slug: "east-coast-community-kitchens",
    name: "East Coast Community Kitchens",
    type: "frontline_service",
    regions: ["East of England"],
    focusAreas: ["food insecurity", "community"],
    website: "https://eastcoastkitchens.example.org",
    about: "Community kitchens and pantries in coastal towns, recording who comes, why, and how often.",
  },
  {
    slug: "disability-income-coalition",
    name: "Disability Income Coalition",
    type: "charity",
    regions: ["UK-wide", "Northern Ireland"],
    focusAreas: ["disability", "social security", "cost of essentials"],
    website: "https://disability-income.example.org",
    about: "A coalition of disabled people's organisations working on the adequacy of disability benefits and the extra costs disabled households face.",
  },
];

const FIRST = [
  "Aisha",
  "Ben",
  "Chloe",
  "Dev",
  "Eilidh",
  "Farah",
  "Gareth",
  "Hannah",
  "Imran",
  "Jess",
  "Kwame",
  "Laura",
  "Mo",
  "Niamh",
  "Owen",
  "Priya",
  "Rhys",
  "Sam",
  "Tomasz",
  "Uma",
  "Vik",
  "Wendy",
  "Yusuf",
  "Zara",
  "Ciaran",
  "Deborah",
  "Ellis",
  "Fiona",
  "Harun",
];
const LAST = [
  "Rahman",
  "Clarke",
  "Evans",
  "Patel",
  "MacLeod",
  "Hussain",
  "Jones",
  "Kowalski",
  "Ali",
  "Murphy",
  "Mensah",
  "Whitfield",
  "Farah",
  "O'Neill",
  "Price",
  "Sharma",
  "Griffiths",
  "Taylor",
  "Nowak",
  "Desai",
  "Singh",
  "Brown",
  "Osman",
  "Begum",
  "Doyle",
  "Adeyemi",
  "Carter",
  "Ross",
  "Kaya",
];

export type SeedContext = { db: Database; now: Date; userIds: string[]; adminId: string; orgIds: Record<string, string> };
type Seeder = (ctx: SeedContext) => Promise<void>;

const COMMUNITIES = [
  {
    slug: "micro-simulation-of-poverty",
    name: "Micro-simulation of poverty",
    summary: "Modellers of tax, benefits and household incomes comparing methods, data and results.",
    about:
      "For people who build or use tax-benefit micro-simulation models (UKMOD, PolicyEngine, in-house models) to estimate the effect of policy on poverty.\n\nWe compare assumptions before big fiscal events, share uprating tables, and agree which distributional questions each organisation will run, so results are comparable and nobody runs the same model twice.",
    joinPolicy: "open" as const,
    visibility: "public" as const,
    facilitators: [1, 4],
    members: [0, 2, 9, 13, 16, 17, 21, 25],
    pending: [] as number[],
  },
  {
    slug: "local-food-insecurity-data",
    name: "Local food insecurity data",
    summary: "Food banks, pantries, councils and researchers making local food insecurity data comparable.",
    about:
      "Food banks and community food providers hold some of the best local evidence of hardship. This community works on shared definitions, safe ways to publish referral data, and linking it with local authority data.",
    joinPolicy: "open" as const,
    visibility: "public" as const,
    facilitators: [3],
    members: [5, 10, 15, 22, 27],
    pending: [] as number[],
  },
  {
    slug: "lived-experience-panels",
    name: "Lived experience panels",
    summary: "A private space for people who run or sit on lived-experience panels.",
    about:
      "A confidential community for panel members and the staff who support them: fair payment, safeguarding, accessible meetings, and making sure panels change decisions rather than decorate them. Membership is by approval, and what is said here stays here.",
    joinPolicy: "approval" as const,
    visibility: "private" as const,
    facilitators: [6],
    members: [18, 11, 23],
    pending: [26, 19],
  },
  {
    slug: "advice-sector-data",
    name: "Advice sector data",
    summary: "Advice services turning casework data into evidence on social security, debt and housing.",
    about:
      "Advice agencies see problems with social security, debt and housing first. We share coding frames for casework data, publish joint dashboards and brief researchers on what is changing at the front line.",
    joinPolicy: "approval" as const,
    visibility: "public" as const,
    facilitators: [2],
    members: [14, 9, 24, 28],
    pending: [20, 12],
  },
];

async function seedCommunities({ db, now, userIds, adminId }: SeedContext) {
  for (const [i, c] of COMMUNITIES.entries()) {
    const id = `00000000-0000-4000-8003-${String(i + 1).padStart(12, "0")}`;
    const { facilitators, members, pending, ...fields } = c;
    await db.insert(schema.communities).values({ id, ...fields, createdBy: adminId, createdAt: daysAgo(now, 80 - i) });
    for (const [j, f] of facilitators.entries()) {
      await db.insert(schema.communityMemberships).values({
        communityId: id,
        userId: userIds[f],
        role: "facilitator",
        status: "active",
        requestedAt: daysAgo(now, 79 - j),
        joinedAt: daysAgo(now, 79 - j),
      });
    }
    for (const [j, m] of members.entries()) {
      await db
        .insert(schema.communityMemberships)
        .values({ communityId: id, userId: userIds[m], status: "active", requestedAt: daysAgo(now, 60 - j * 3), joinedAt: daysAgo(now, 59 - j * 3) });
    }
    for (const [j, m] of pending.entries()) {
      await db.insert(schema.communityMemberships).values({
        communityId: id,
        userId: userIds[m],
        status: "pending",
        requestMessage: j === 0 ? "I coordinate our advice line's data and would love to compare coding frames." : null,
        requestedAt: daysAgo(now, 2 + j),
      });
    }
  }
}

async function seedPrinciples({ db, now, userIds, orgIds }: SeedContext) {
  // Version 1 comes from a migration (it is product content, not demo data).
  for (const i of [0, 1, 2, 3, 4, 6, 8, 10, 13, 17, 21, 25]) {
    await db.insert(schema.principleSignatures).values({ userId: userIds[i], version: 1, signedAt: daysAgo(now, 20 - (i % 15)) });
  }
  // The first member of each organisation is its admin (seedFoundation), and signs for it.
  for (const [i, slug] of [
    "northern-poverty-action",
    "fairshare-institute",
    "foodshare-alliance",
    "centre-for-household-economics",
    "voices-of-experience",
    "housing-justice-lab",
    "the-hartley-trust",
  ].entries()) {
    const idx = DEMO_ORGS.findIndex((o) => o.slug === slug);
    await db
      .insert(schema.organisationSignatures)
      .values({ organisationId: orgIds[slug], version: 1, signedBy: userIds[idx], signedAt: daysAgo(now, 30 - i * 3) });
  }
  await db.update(schema.organisations).set({ anchorPartner: true }).where(eq(schema.organisations.slug, "fairshare-institute"));
}

export type TaskSeed = {
  title: string;
  question: string;
  tags: string[];
  due: number | null; // days relative to the moment
  status: "open" | "claimed" | "in_progress" | "in_review" | "published" | "dropped";
  lead?: number; // index into the demo people
  helpers?: number[];
  sources?: string;
  output?: string;
  reason?: string;
};

/** A demo task's row: the seed and the benchmarks' Budget-shaped hub make them alike. */
export function seededTask(
  t: TaskSeed,
  at: { id: string; hubId: string; dueDate: string | null; leadUserId: string | null; leadOrgId: string | null; createdBy: string },
) {
  return {
    ...at,
    title: t.title,
    question: t.question,
    dataSources: t.sources ?? "",
    tags: t.tags,
    status: t.status,
    outputUrl: t.output ?? null,
  };
}

/** The demo hubs (the first is the Autumn Budget): the benchmarks build one of the same shape on PostgreSQL. */
export const HUBS: { slug: string; title: string; momentName: string; inDays: number; summary: string; description: string; tasks: TaskSeed[] }[] = [
  {
    slug: "autumn-budget",
    title: "Autumn Budget: what it means for poverty",
    momentName: "Autumn Budget",
    inDays: 24,
    summary: "Dividing up the distributional analysis of the Autumn Budget so every question is answered once, well, and on time.",
    description:
      "The Chancellor's Autumn Budget will set tax and social security policy for the coming year. Before the day we agree who models what; on the day we publish quick, comparable headline analysis; afterwards we go deeper on the groups most affected.\n\n**How to take part:** claim a task you can really deliver, or join the team already on it. Stewards merge duplicates and keep the tracker honest.",
    tasks: [
      {
        title: "Distributional impact of changes to the two-child limit",
        question: "How many children would be lifted out of poverty by each option for the two-child limit, and at what cost?",
        tags: ["social security", "children", "micro-simulation"],
        due: 1,
        status: "in_progress",
        lead: 1,
        helpers: [4],
        sources: "Family Resources Survey; DWP Stat-Xplore; UKMOD",
      },
      {
        title: "Local Housing Allowance: who is affected, by region",
        question: "Which private renters gain or lose from the LHA decision, region by region?",
        tags: ["housing", "social security"],
        due: 3,
        status: "claimed",
        lead: 9,
        sources: "VOA private rent statistics; DWP Stat-Xplore housing element",
      },
      {
        title: "Cost of essentials for disabled households",
        question: "How do Budget measures change the gap between disabled households' incomes and the extra costs they face?",
        tags: ["disability", "cost of living"],
        due: 7,
        status: "open",
        sources: "Family Resources Survey; minimum income standard",
      },
      {
        title: "Council tax support schemes: what changes for low-income households",
        question: "How will councils' schemes change after the Budget's local government settlement?",
        tags: ["local welfare", "council tax"],
        due: -2,
        status: "in_review",
        lead: 5,
        helpers: [2],
      },
      {
        title: "Food bank referrals before the Budget: a baseline",
        question: "What did food bank referral data show in the six months before the Budget?",
        tags: ["food insecurity"],
        due: -10,
        status: "published",
        lead: 3,
        output: "https://foodshare-alliance.example.org/research/pre-budget-baseline",
      },
      {
        title: "Universal Credit standard allowance uprating: real-terms value",
        question: "What is the real-terms value of the standard allowance after uprating, against essentials?",
        tags: ["social security", "cost of living"],
        due: 0,
        status: "claimed",
        lead: 0,
      },
      {
        title: "Fuel duty and rural low-income households",
        question: "Who on low incomes in rural areas is affected by the fuel duty decision?",
        tags: ["cost of living", "rural"],
        due: 2,
        status: "dropped",
        reason: "Not enough rural data to say anything robust in time; revisit for the Spring Statement.",
      },
      {
        title: "Poverty projections after the Budget: headline figures on the day",
        question: "What are the headline child and overall poverty projections, on a shared method?",
        tags: ["micro-simulation", "children"],
        due: 0,
        status: "open",
      },
      {
        title: "Debt advice caseload: what the Budget means for people in arrears",
        question: "Which Budget measures touch the debts advice clients bring most often?",
        tags: ["debt"],
        due: 5,
        status: "open",
      },
      {
        title: "Child poverty in Scotland: interaction with the Scottish Child Payment",
        question: "How do UK Budget changes interact with the Scottish Child Payment?",
        tags: ["children", "Scotland"],
        due: 4,
        status: "in_progress",
        lead: 20,
      },
      {
        title: "Lived experience panel: first reactions to the Budget",
        question: "What do people with experience of poverty make of the Budget, in their own words?",
        tags: ["lived experience"],
        due: 2,
        status: "claimed",
        lead: 6,
        helpers: [18],
      },
      {
        title: "Minimum wage rise and in-work poverty",
        question: "How much of the minimum wage rise reaches households in in-work poverty?",
        tags: ["low pay"],
        due: 1,
        status: "open",
      },
      {
        title: "Health and disability benefit reforms: who loses",
        question: "Which groups lose from the reforms to health and disability benefits, and by how much?",
        tags: ["disability", "social security"],
        due: 6,
        status: "in_progress",
        lead: 11,
        helpers: [4, 23],
      },
    ],
  },
  {
    slug: "spring-statement",
    title: "Spring Statement: the squeeze on social security",
    momentName: "Spring Statement",
    inDays: 130,
    summary: "Planning ahead for the Spring Statement: fiscal rules, headroom and what they mean for social security.",
    description: "Early planning for the Spring Statement. Propose the questions you expect it to raise.",
    tasks: [
      {
        title: "Fiscal headroom and what it means for social security spending",
        question: "How much room do the fiscal rules leave for social security?",
        tags: ["fiscal rules", "social security"],
        due: -14,
        status: "open",
      },
      {
        title: "Cost-of-living support: what expires in April",
        question: "Which support schemes end in April, and who relies on them?",
        tags: ["cost of living", "local welfare"],
        due: -21,
        status: "claimed",
        lead: 2,
      },
    ],
  },
  {
    slug: "general-election-manifestos",
    title: "General election: the parties' manifestos on poverty",
    momentName: "Manifestos published",
    inDays: 540,
    summary: "Reading the manifestos together: commitments on poverty, costed and compared.",
    description: "When the manifestos are published, we will track and cost every commitment on poverty and social security.",
    tasks: [
      {
        title: "Manifesto tracker: commitments on child poverty",
        question: "What does each party commit to on child poverty, with what targets?",
        tags: ["children", "manifestos"],
        due: 7,
        status: "open",
      },
      {
        title: "Costing the parties' social security pledges",
        question: "What would each party's social security pledges cost, and who gains?",
        tags: ["social security", "micro-simulation"],
        due: 21,
        status: "open",
      },
    ],
  },
];

async function seedHubs({ db, now, userIds, adminId }: SeedContext) {
  const people = await db.select({ id: schema.users.id, name: schema.users.name }).from(schema.users);
  const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? "Someone";
  const orgOf = async (userId: string) => {
    const [m] = await db
      .select({ id: schema.organisations.id, name: schema.organisations.name })
      .from(schema.organisationMemberships)
      .innerJoin(schema.organisations, eq(schema.organisations.id, schema.organisationMemberships.organisationId))
      .where(eq(schema.organisationMemberships.userId, userId));
    return m ?? null;
  };
  for (const [h, hub] of HUBS.entries()) {
    const hubId = `00000000-0000-4000-8004-${String(h + 1).padStart(12, "0")}`;
    // Moments are at 12:30 UK time, a set number of days from the seeding day.
    const day = workingDay(DateTime.fromJSDate(new Date(now.getTime() + hub.inDays * 86_400_000), { zone: "Europe/London" }));
    const momentAt = day.set({ hour: 12, minute: 30, second: 0, millisecond: 0 }).toJSDate();
    await db.insert(schema.hubs).values({
      id: hubId,
      slug: hub.slug,
      title: hub.title,
      momentName: hub.momentName,
      momentAt,
      summary: hub.summary,
      description: hub.description,
      createdBy: adminId,
      createdAt: daysAgo(now, 40 - h),
    });
    await db.insert(schema.hubStewards).values([
      { hubId, userId: adminId },
      { hubId, userId: userIds[1] },
    ]);
    for (const [i, t] of hub.tasks.entries()) {
      const id = `00000000-0000-4000-8005-${String(h * 100 + i + 1).padStart(12, "0")}`;
      const creator = userIds[(i * 5 + h) % 16];
      const lead = t.lead !== undefined ? userIds[t.lead] : null;
      const leadOrg = lead ? await orgOf(lead) : null;
      // Due on a working day, on the same side of the moment: earlier ones move back, later ones on.
      const due = t.due === null ? null : workingDay(day.plus({ days: t.due }), t.due < 0 ? -1 : 1).toISODate();
      const created = daysAgo(now, 30 - i);
      await db.insert(schema.tasks).values({
        ...seededTask(t, { id, hubId, dueDate: due, leadUserId: lead, leadOrgId: leadOrg?.id ?? null, createdBy: creator }),
        createdAt: created,
      });
      const history: { actorId: string | null; kind: string; summary: string; at: Date }[] = [
        { actorId: creator, kind: "created", summary: historySentence.proposed(nameOf(creator)), at: created },
      ];
      if (lead) {
        history.push({
          actorId: lead,
          kind: "claimed",
          summary: historySentence.claimed(nameOf(lead), leadOrg?.name ?? "their organisation"),
          at: new Date(created.getTime() + 86_400_000),
        });
        const steps: TaskStatus[] = ["claimed", "in_progress", "in_review", "published"];
        for (let k = 1; k < steps.length; k++) {
          if (steps.indexOf(t.status) < k) break;
          history.push({
            actorId: lead,
            kind: "status",
            summary: historySentence.moved(nameOf(lead), steps[k - 1], steps[k]),
            at: new Date(created.getTime() + (k + 1) * 86_400_000),
          });
        }
      }
      for (const [k, helper] of (t.helpers ?? []).entries()) {
        const org = await orgOf(userIds[helper]);
        await db.insert(schema.taskCollaborators).values({ taskId: id, userId: userIds[helper], organisationId: org?.id ?? null });
        history.push({
          actorId: userIds[helper],
          kind: "collaborator_joined",
          summary: historySentence.joined(nameOf(userIds[helper]), org?.name ?? null),
          at: new Date(created.getTime() + (k + 1) * 43_200_000),
        });
      }
      if (t.status === "dropped")
        history.push({
          actorId: userIds[1],
          kind: "dropped",
          summary: historySentence.dropped(nameOf(userIds[1]), t.reason ?? "no longer needed"),
          at: daysAgo(now, 3),
        });
      for (const e of history) {
        await db.insert(schema.taskHistory).values({ taskId: id, actorId: e.actorId, kind: e.kind, summary: e.summary, createdAt: e.at > now ? now : e.at });
      }
    }
  }
}

type EventSeed = {
  slug: string;
  kind: "webinar" | "workshop" | "meeting";
  title: string;
  summary: string;
  day: number | "moment+1" | "moment-7"; // days from seeding, or relative to the Budget
  start: string;
  end: string;
  capacity: number | null;
  community?: string;
  hub?: string;
  venue?: string;
  access: string[];
  organiser: number | "admin";
  registrants: number[]; // demo people, in arrival order
  state?: "draft" | "published" | "cancelled";
  series?: number; // weekly occurrences
  recording?: string;
  materials?: string;
};

const EVENTS: EventSeed[] = [
  {
    slug: "budget-day-briefing",
    kind: "webinar",
    title: "Budget briefing: first look at the distributional analysis",
    summary: "The morning after the Budget, modellers present headline results on a shared method, then take questions.",
    day: "moment+1",
    start: "10:00",
    end: "11:15",
    capacity: 100,
    hub: "autumn-budget",
    access: ["live_captions", "bsl_interpreter"],
    organiser: 1,
    registrants: [0, 2, 3, 5, 6, 9, 10, 11, 13, 14, 15, 18, 20, 21, 22, 23, 24, 25],
  },
  {
    slug: "pre-budget-modelling-clinic",
    kind: "webinar",
    title: "Pre-Budget modelling clinic",
    summary: "Bring your model and your assumptions: we check uprating and baseline choices together before the day.",
    day: "moment-7",
    start: "14:00",
    end: "15:30",
    capacity: 6,
    community: "micro-simulation-of-poverty",
    hub: "autumn-budget",
    access: ["live_captions"],
    organiser: 4,
    registrants: [0, 2, 9, 13, 16, 21, 25, 5, 14],
  },
  {
    slug: "micro-simulation-methods",
    kind: "webinar",
    title: "Micro-simulation methods: uprating assumptions",
    summary: "A weekly methods session for modellers: uprating, take-up and the baseline.",
    day: 5,
    start: "12:30",
    end: "13:30",
    capacity: 60,
    community: "micro-simulation-of-poverty",
    access: ["live_captions"],
    organiser: 1,
    registrants: [0, 4, 9, 13],
    series: 4,
  },
  {
    slug: "food-insecurity-definitions-workshop",
    kind: "workshop",
    title: "Local food insecurity data: shared definitions",
    summary: "A hands-on online workshop to agree definitions food banks, pantries and councils can all record.",
    day: 12,
    start: "10:00",
    end: "13:00",
    capacity: 25,
    community: "local-food-insecurity-data",
    access: ["live_captions", "quiet_room"],
    organiser: 3,
    registrants: [5, 10, 15, 22, 27],
  },
  {
    slug: "leeds-northern-data-partners",
    kind: "meeting",
    title: "Northern poverty data partners: meeting in Leeds",
    summary: "An in-person day for organisations across the North working on local poverty data. Lunch provided.",
    day: 20,
    start: "10:30",
    end: "15:00",
    capacity: 30,
    venue: "Leeds Central Library, Calverley Street, Leeds LS1 3AB",
    access: ["step_free", "hearing_loop", "quiet_room"],
    organiser: 0,
    registrants: [0, 12, 24, 13],
  },
  {
    slug: "paying-panel-members-fairly",
    kind: "webinar",
    title: "Paying lived experience panel members fairly",
    summary: "Practical guidance on payment, benefits rules and expenses for panel members.",
    day: 9,
    start: "11:00",
    end: "12:00",
    capacity: 20,
    community: "lived-experience-panels",
    access: ["live_captions", "bsl_interpreter"],
    organiser: 6,
    registrants: [18, 11],
  },
  {
    slug: "casework-coding-frames",
    kind: "webinar",
    title: "Advice sector data: casework coding frames",
    summary: "Comparing how advice services code casework, so our data can be pooled.",
    day: 15,
    start: "13:00",
    end: "14:00",
    capacity: 4,
    community: "advice-sector-data",
    access: ["live_captions"],
    organiser: 2,
    registrants: [2, 14, 9, 24],
  },
  {
    slug: "spring-statement-early-planning",
    kind: "webinar",
    title: "Spring Statement: early planning call",
    summary: "Which questions will the Spring Statement raise, and who is best placed to answer them?",
    day: 40,
    start: "15:00",
    end: "16:00",
    capacity: null,
    hub: "spring-statement",
    access: ["live_captions"],
    organiser: "admin",
    registrants: [1, 3],
  },
  {
    slug: "food-bank-baseline-findings",
    kind: "webinar",
    title: "Food bank referrals before the Budget: findings",
    summary: "Foodshare Alliance presents its pre-Budget baseline of food bank referrals.",
    day: -14,
    start: "10:00",
    end: "11:00",
    capacity: 80,
    hub: "autumn-budget",
    access: ["live_captions"],
    organiser: 3,
    registrants: [0, 1, 5, 10, 15, 22],
    recording: "https://foodshare-alliance.example.org/recordings/baseline-findings",
    materials:
      "- [Slides (PDF)](https://foodshare-alliance.example.org/slides/baseline.pdf)\n- [Full report](https://foodshare-alliance.example.org/research/pre-budget-baseline)",
  },
  {
    slug: "fuel-duty-rural-roundtable",
    kind: "webinar",
    title: "Fuel duty and rural households: roundtable",
    summary: "Postponed: see the Spring Statement hub.",
    day: 8,
    start: "16:00",
    end: "17:00",
    capacity: 30,
    hub: "autumn-budget",
    access: [],
    organiser: 1,
    registrants: [0, 3],
    state: "cancelled",
  },
  {
    slug: "manifesto-costing-workshop",
    kind: "workshop",
    title: "Costing manifesto pledges: a workshop",
    summary: "Draft: agreeing a shared costing method before the manifestos are published.",
    // In summer time (BST), so the demo shows both UK offsets.
    day: 220,
    start: "10:00",
    end: "12:30",
    capacity: 20,
    hub: "general-election-manifestos",
    access: [],
    organiser: 1,
    registrants: [],
    state: "draft",
  },
];

async function seedEvents({ db, now, userIds, adminId }: SeedContext) {
  const communities = await db.select({ id: schema.communities.id, slug: schema.communities.slug }).from(schema.communities);
  const hubs = await db.select({ id: schema.hubs.id, slug: schema.hubs.slug, momentAt: schema.hubs.momentAt }).from(schema.hubs);
  const budget = hubs.find((h) => h.slug === "autumn-budget")!;
  const zone = "Europe/London";
  const budgetDay = DateTime.fromJSDate(budget.momentAt, { zone }).startOf("day");
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  for (const [i, e] of EVENTS.entries()) {
    const day = workingDay(
      e.day === "moment+1" ? budgetDay.plus({ days: 1 }) : e.day === "moment-7" ? budgetDay.minus({ days: 7 }) : today.plus({ days: e.day }),
    );
    const at = (d: DateTime, hhmm: string) => d.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)) }).toJSDate();
    const organiser = e.organiser === "admin" ? adminId : userIds[e.organiser];
    const seriesId = e.series ? `00000000-0000-4000-8007-${String(i + 1).padStart(12, "0")}` : null;
    if (seriesId) await db.insert(schema.eventSeries).values({ id: seriesId, rrule: `FREQ=WEEKLY;COUNT=${e.series}` });
    // A series starts on the first working day from which every one of its weekly dates
    // (and the moved third one) is a working day too.
    const dateOf = (start: DateTime, k: number) => (seriesId && k === 2 ? start.plus({ weeks: k, days: 1 }) : start.plus({ weeks: k }));
    let start = day;
    while (Array.from({ length: e.series ?? 1 }, (_, k) => dateOf(start, k)).some((x) => !workingDay(x).equals(x))) start = workingDay(start.plus({ days: 1 }));
    for (let k = 0; k < (e.series ?? 1); k++) {
      const planned = start.plus({ weeks: k });
      // The third session of the series was moved a day later: calendars show it moved.
      const d = dateOf(start, k);
      const id = `00000000-0000-4000-8006-${String(i * 10 + k + 1).padStart(12, "0")}`;
      await db.insert(schema.events).values({
        id,
        slug: k === 0 ? e.slug : `${e.slug}-${k + 1}`,
        kind: e.kind,
        title: e.title,
        summary: e.summary,
        description: `Everyone working on poverty and inequality is welcome. Tell us about any access needs when you register: we will do our best to meet them.`,
        startsAt: at(d, e.start),
        endsAt: at(d, e.end),
        timeZone: zone,
        capacity: e.capacity,
        joinUrl: e.venue ? null : `https://meet.convene.example/${e.slug}${k ? `-${k + 1}` : ""}`,
        venue: e.venue ?? null,
        accessProvisions: e.access,
        communityId: e.community ? communities.find((c) => c.slug === e.community)!.id : null,
        hubId: e.hub ? hubs.find((h) => h.slug === e.hub)!.id : null,
        state: e.state ?? "published",
        seriesId,
        originalStartsAt: seriesId ? at(planned, e.start) : null,
        materials: e.materials ?? "",
        recordingUrl: e.recording ?? null,
        cancelledAt: e.state === "cancelled" ? daysAgo(now, 1) : null,
        sequence: e.state === "cancelled" || +d !== +planned ? 1 : 0,
        createdBy: organiser,
        createdAt: daysAgo(now, 30 - i),
      });
      await db.insert(schema.eventOrganisers).values({ eventId: id, userId: organiser });
      if (k > 0) continue;
      for (const [n, r] of e.registrants.entries()) {
        const status = e.capacity !== null && n >= e.capacity ? "waitlisted" : "confirmed";
        await db.insert(schema.eventRegistrations).values({
          id: `00000000-0000-4000-8008-${String(i * 100 + n + 1).padStart(12, "0")}`,
          eventId: id,
          userId: userIds[r],
          status: e.state === "cancelled" ? "confirmed" : status,
          accessNeeds: n % 4 === 1 ? ["live_captions"] : n % 5 === 2 ? ["bsl_interpreter"] : [],
          accessNotes: n % 6 === 3 ? "I may need to leave briefly at 11:00." : null,
          attended: e.day !== "moment+1" && e.day !== "moment-7" && typeof e.day === "number" && e.day < 0 ? n % 3 !== 0 : null,
          createdAt: daysAgo(now, 20 - n * 0.1),
        });
      }
    }
  }
}

// Live threads: a conversation on the Budget hub, its headline task, a community and the
// Budget briefing, plus one reported message waiting in the moderators' queue.
const THREADS: { kind: ThreadKind; subject: string; messages: [number, string][] }[] = [
  {
    kind: "hub",
    subject: "autumn-budget",
    messages: [
      [1, "Morning all. We will have the **distributional tables** out by 2pm on the day; shout if you need the raw decile file."],
      [4, "Thanks, Ben. We are holding off on the two-child limit costing until your tables land, so nobody runs it twice."],
      [9, "Is anyone looking at Local Housing Allowance by region? Happy to lead if not."],
      [0, "It is on the board already (claimed): join as a collaborator rather than starting a second one."],
    ],
  },
  {
    kind: "task",
    subject: "Poverty projections after the Budget: headline figures on the day",
    messages: [
      [1, "Proposal: we all use the same baseline (2025/26 HBAI, AHC) so the headline numbers line up."],
      [13, "Agreed. I can share our uprating assumptions sheet tonight."],
    ],
  },
  {
    kind: "community",
    subject: "micro-simulation-of-poverty",
    messages: [
      [4, "Has anyone tried the new UKMOD release with the 2024 FRS? Our take-up rates moved noticeably."],
      [13, "Yes: see the release notes on the take-up calibration. Happy to compare outputs."],
    ],
  },
  {
    kind: "event",
    subject: "budget-day-briefing",
    messages: [
      [2, "Could the slides be shared afterwards, please?"],
      [1, "Yes, they will go on this page with the recording."],
    ],
  },
];

async function seedThreads({ db, now, userIds }: SeedContext) {
  const subjectId = async (kind: ThreadKind, subject: string) => {
    if (kind === "task") return (await db.select({ id: schema.tasks.id }).from(schema.tasks).where(eq(schema.tasks.title, subject)))[0].id;
    const table = kind === "hub" ? schema.hubs : kind === "community" ? schema.communities : schema.events;
    return (await db.select({ id: table.id }).from(table).where(eq(table.slug, subject)))[0].id;
  };
  for (const [t, thread] of THREADS.entries()) {
    const threadId = `00000000-0000-4000-8009-${String(t + 1).padStart(12, "0")}`;
    await db.insert(schema.threads).values({
      id: threadId,
      subjectKind: thread.kind,
      subjectId: await subjectId(thread.kind, thread.subject),
      lastSeq: thread.messages.length,
      lastChange: thread.messages.length,
    });
    for (const [n, [who, body]] of thread.messages.entries()) {
      await db.insert(schema.threadMessages).values({
        id: `00000000-0000-4000-800a-${String(t * 100 + n + 1).padStart(12, "0")}`,
        threadId,
        seq: n + 1,
        changeNo: n + 1,
        authorId: userIds[who],
        body,
        html: renderMarkdown(body),
        createdAt: new Date(now.getTime() - (thread.messages.length - n) * 37 * 60_000),
      });
    }
  }
  // One message reported, for the hub's stewards (and admins) to review at /moderation.
  await db.insert(schema.messageReports).values({
    id: "00000000-0000-4000-800b-000000000001",
    messageId: "00000000-0000-4000-800a-000000000004",
    reporterId: userIds[9],
    reason: "Feels a bit curt: could we be kinder to newcomers?",
  });
}

// Push updates: people follow what they belong to (as joining would have made them), some
// follow more; a few have unread notifications and choices of every kind; one person's
// weekly summary is waiting to be sent (notifications from over a week ago, not yet mailed).
async function seedFollows({ db, now, userIds }: SeedContext) {
  await db.execute(sql`
    insert into follows (user_id, subject_kind, subject_id, created_at)
    select user_id, 'community', community_id, coalesce(joined_at, now()) from community_memberships where status = 'active'
    union select user_id, 'organisation', organisation_id, coalesce(approved_at, now()) from organisation_memberships where status = 'active'
    union select lead_user_id, 'hub', hub_id, now() from tasks where lead_user_id is not null
    union select c.user_id, 'hub', t.hub_id, now() from task_collaborators c join tasks t on t.id = c.task_id
    union select r.user_id, 'series', e.series_id, now() from event_registrations r join events e on e.id = r.event_id
      where e.series_id is not null and r.status in ('confirmed', 'waitlisted')
    on conflict do nothing`);
  const [firstHub] = await db.select().from(schema.hubs).orderBy(schema.hubs.createdAt).limit(1);
  for (const i of [0, 1, 2, 3, 5, 8]) {
    await db.insert(schema.follows).values({ userId: userIds[i], subjectKind: "hub", subjectId: firstHub.id }).onConflictDoNothing();
  }
  // Choices of every kind and cadence, spread over the first people.
  const choices: [number, (typeof schema.NEWS_KINDS)[number], (typeof schema.CADENCES)[number]][] = [
    [0, "events", "daily"],
    [0, "hub_tasks", "weekly"],
    [1, "hub_tasks", "immediately"],
    [2, "mentions", "never"],
    [3, "my_tasks", "daily"],
    [4, "join_requests", "weekly"],
    [5, "reports", "never"],
  ];
  for (const [i, kind, cadence] of choices) await db.insert(schema.emailPreferences).values({ userId: userIds[i], kind, cadence });
  await db.insert(schema.digestSettings).values({ userId: userIds[3], weekday: 3, hour: 7, timeZone: "Europe/London" });

  // Notifications: what the seeded pending requests would have caused, then some news.
  await db.execute(sql`
    insert into notifications (id, user_id, kind, subject_key, space_kind, space_title, text, path, created_at, updated_at, mailed_at)
    select gen_random_uuid()::text, f.user_id, 'join_requests', 'community-request:' || c.id || ':' || p.user_id, 'community', c.name,
           u.name || ' asks to join ' || c.name, '/communities/' || c.slug || '/members', p.requested_at, p.requested_at, p.requested_at
      from community_memberships p join communities c on c.id = p.community_id join users u on u.id = p.user_id
      join community_memberships f on f.community_id = c.id and f.status = 'active' and f.role = 'facilitator'
     where p.status = 'pending'`);
  const [hubTask] = await db.select({ id: schema.tasks.id, title: schema.tasks.title }).from(schema.tasks).where(eq(schema.tasks.hubId, firstHub.id)).limit(1);
  const [event] = await db.select().from(schema.events).where(eq(schema.events.state, "published")).orderBy(schema.events.startsAt).limit(1);
  const news = (userId: string, n: number, ago: number, read: boolean) => [
    {
      id: `00000000-0000-4000-800c-${String(n * 10 + 1).padStart(12, "0")}`,
      userId,
      kind: "hub_tasks" as const,
      subjectKey: `task:${hubTask.id}`,
      spaceKind: "hub" as const,
      spaceTitle: firstHub.title,
      text: `${hubTask.title}: needs someone to lead it`,
      path: `/hubs/${firstHub.slug}/tasks/${hubTask.id}`,
      createdAt: daysAgo(now, ago),
      updatedAt: daysAgo(now, ago),
      readAt: read ? daysAgo(now, ago - 1) : null,
    },
    {
      id: `00000000-0000-4000-800c-${String(n * 10 + 2).padStart(12, "0")}`,
      userId,
      kind: "events" as const,
      subjectKey: `event:${event.id}`,
      spaceKind: "event" as const,
      spaceTitle: event.title,
      text: `New event: ${event.title}`,
      path: `/events/${event.slug}`,
      createdAt: daysAgo(now, ago + 0.5),
      updatedAt: daysAgo(now, ago + 0.5),
      changes: 2,
    },
  ];
  // Aisha: two unread (and one read); Chloe: a weekly summary waiting to go.
  await db.insert(schema.notifications).values([...news(userIds[0], 1, 1, false), ...news(userIds[2], 2, 8, false)]);
  await db.insert(schema.notifications).values({
    ...news(userIds[0], 3, 3, true)[0],
    subjectKey: `task:${hubTask.id}:earlier`,
    text: `${hubTask.title}: claimed`,
  });
}

// One past event has been asked for feedback: three answers (two without a name), one
// saying what got in the way; the others have not answered yet.
async function seedFeedback({ db, now }: SeedContext) {
  const { rows } = await db.execute<{ id: string }>(sql`
    select e.id from events e where e.state = 'published' and e.ends_at < ${now}
      and exists (select 1 from event_registrations r where r.event_id = e.id and r.status = 'confirmed')
    order by e.ends_at desc limit 1`);
  const event = rows[0];
  if (!event) return;
  const attendees = await db
    .select({ userId: schema.eventRegistrations.userId })
    .from(schema.eventRegistrations)
    .where(sql`${schema.eventRegistrations.eventId} = ${event.id} and ${schema.eventRegistrations.status} = 'confirmed'`);
  for (const [i, a] of attendees.entries()) {
    await db.insert(schema.feedbackRequests).values({
      eventId: event.id,
      userId: a.userId,
      tokenHash: `seeded-feedback-${event.id}-${i}`,
      sentAt: daysAgo(now, 1),
      answered: i < 3,
    });
  }
  const on = daysAgo(now, 1).toISOString().slice(0, 10);
  const answers = [
    { useful: 5, accessible: "yes" as const, gotInTheWay: "", anythingElse: "The worked examples were exactly what our team needed.", userId: null },
    {
      useful: 3,
      accessible: "partly" as const,
      gotInTheWay: "The captions lagged behind the speaker for the first half hour.",
      anythingElse: "",
      userId: null,
    },
    {
      useful: 4,
      accessible: "not_needed" as const,
      gotInTheWay: "",
      anythingElse: "Could the slides be shared before next time?",
      userId: attendees[2]?.userId ?? null,
    },
  ];
  for (const [i, a] of answers.slice(0, Math.min(3, attendees.length)).entries()) {
    await db.insert(schema.eventFeedback).values({
      id: `00000000-0000-4000-800d-${String(i + 1).padStart(12, "0")}`,
      eventId: event.id,
      harm: "",
      answeredOn: on,
      ...a,
    });
  }
}

// The data catalogue: real UK sources, described only with what docs/research/uk-data-sources.md
// confirms (where it was read is written there); a field not confirmed is left empty.
type SourceSeed = Omit<typeof schema.dataSources.$inferInsert, "id" | "slug">;
export const DATA_SOURCES: SourceSeed[] = [
  {
    name: "Family Resources Survey",
    publisher: "Department for Work and Pensions",
    url: "https://www.gov.uk/government/collections/family-resources-survey--2",
    measures: "The incomes and circumstances of individuals living in a representative sample of private households in the United Kingdom.",
    topics: ["income", "benefits", "disability", "households"],
    coverage: "UK",
    placeLevels: ["uk", "nation", "region"],
    frequency: "annual",
    breakdowns: ["disability", "tenure", "benefit_receipt", "income", "employment"],
    access: "safeguarded",
    methods:
      "A continuous survey of private households (Great Britain since October 1992); interviews by ONS, NatCen Social Research and NISRA. Microdata are deposited with the UK Data Service.",
    qualityIssues: "Face-to-face interviewing was replaced by telephone from April 2020 (2020 to 2021 and 2021 to 2022): compare those years with care.",
    contact: "team.frs@dwp.gov.uk",
  },
  {
    name: "Households Below Average Income (HBAI)",
    publisher: "Department for Work and Pensions",
    url: "https://www.gov.uk/government/collections/households-below-average-income-hbai--2",
    measures:
      "Living standards: the number and percentage of people in low-income households, income inequality and material deprivation, for children, pensioners, working-age adults and people in families where someone is disabled.",
    topics: ["poverty", "income", "inequality", "deprivation"],
    coverage: "UK",
    placeLevels: ["uk", "nation"],
    firstYear: 1995,
    frequency: "annual",
    breakdowns: ["disability", "children", "income"],
    access: "open",
    methods: "Based on the Family Resources Survey; weekly disposable equivalised household income, before and after housing costs.",
    qualityIssues: "Inherits the Family Resources Survey's pandemic-era changes to interviewing (financial years ending 2021 and 2022).",
  },
  {
    name: "English Housing Survey",
    publisher: "Ministry of Housing, Communities and Local Government",
    url: "https://www.gov.uk/government/collections/english-housing-survey",
    measures: "People's housing circumstances and the condition and energy efficiency of housing, in every tenure.",
    topics: ["housing", "renting", "energy"],
    coverage: "England",
    placeLevels: ["nation"],
    frequency: "continuous",
    breakdowns: ["tenure"],
    access: "open",
    methods:
      "About 13,300 households interviewed face to face each year; about 6,000 of them also have a surveyor's physical survey of the home. Created in 2008 from the English House Condition Survey and the Survey of English Housing.",
    qualityIssues: "Some table cells rest on few cases: see the survey's technical advice before using small groups.",
  },
  {
    name: "DWP Stat-Xplore",
    publisher: "Department for Work and Pensions",
    url: "https://stat-xplore.dwp.gov.uk/",
    measures:
      "Benefit statistics you can tabulate yourself: Universal Credit, Personal Independence Payment, Housing Benefit, Pension Credit, Carer's Allowance and other DWP benefits.",
    topics: ["benefits", "universal credit", "disability benefits"],
    coverage: "Great Britain",
    placeLevels: ["uk", "region", "local_authority"],
    frequency: "quarterly",
    breakdowns: ["benefit_receipt"],
    access: "open",
    methods: "Administrative data; most benefits quarterly, people on Universal Credit monthly. Use as a guest or with a free login.",
  },
  {
    name: "Understanding Society (UK Household Longitudinal Study)",
    publisher: "Institute for Social and Economic Research, University of Essex",
    url: "https://www.understandingsociety.ac.uk/",
    measures:
      "The family and social ties, employment, education, financial resources and health of the same people, year after year: for example how long poverty lasts.",
    topics: ["longitudinal", "poverty persistence", "health", "employment"],
    coverage: "UK",
    placeLevels: ["uk", "nation"],
    firstYear: 2009,
    frequency: "annual",
    breakdowns: ["ethnicity", "income", "employment"],
    access: "safeguarded",
    methods:
      "A panel of about 40,000 households from 2009, incorporating the British Household Panel Survey (from 1991), with ethnic minority boost samples; each adult is interviewed about every 12 months.",
    qualityIssues: "Postcode-level and full date-of-birth versions are only in the Secure Access release.",
  },
  {
    name: "Census 2021 (England and Wales)",
    publisher: "Office for National Statistics",
    url: "https://www.ons.gov.uk/census",
    measures:
      "Everyone usually resident in England and Wales on Census Day, 21 March 2021: population, housing, health, disability, unpaid care, work and more.",
    topics: ["population", "disability", "unpaid care", "housing"],
    coverage: "England and Wales",
    placeLevels: ["nation", "region", "local_authority", "small_area"],
    firstYear: 2021,
    frequency: "decennial",
    breakdowns: ["age", "sex", "disability", "ethnicity"],
    access: "open",
    methods:
      "Results are adjusted for non-response to the whole usually resident population; age-standardised proportions for health, disability and unpaid care.",
    qualityIssues:
      "The disability questions changed from 2011 to match the Equality Act 2010: compare with 2011 with care. Scotland and Northern Ireland hold their own censuses.",
  },
  {
    name: "Trussell food bank statistics",
    publisher: "Trussell",
    url: "https://www.trussell.org.uk/news-and-research/latest-stats",
    measures: "Emergency food parcels given by food banks in the Trussell community, and the reasons people were referred.",
    topics: ["food banks", "food insecurity", "hardship"],
    coverage: "UK",
    frequency: "twice_a_year",
    breakdowns: ["children"],
    access: "open",
    qualityIssues: "Counts only food banks in the Trussell community: other food aid is not included.",
  },
  {
    name: "Living Costs and Food Survey",
    publisher: "Office for National Statistics",
    url: "https://www.ons.gov.uk/peoplepopulationandcommunity/personalandhouseholdfinances/incomeandwealth/methodologies/livingcostsandfoodsurvey",
    measures: "Household spending on goods and services, and household members' incomes (published as Family Spending in the UK).",
    topics: ["spending", "cost of living", "food"],
    coverage: "UK",
    placeLevels: ["uk"],
    firstYear: 2008,
    frequency: "annual",
    breakdowns: ["income"],
    access: "safeguarded",
    methods:
      "A voluntary survey of private households; adults keep a two-week spending diary (children aged 7 to 15 a simpler one). A household expenditure survey has run every year since 1957.",
    qualityIssues:
      "The response rate in Great Britain was 28% in the year ending March 2024 (about 4,200 households against a target of 6,000): breakdowns are volatile.",
  },
  {
    name: "Annual Population Survey",
    publisher: "Office for National Statistics",
    url: "https://www.ons.gov.uk/employmentandlabourmarket/peopleinwork/employmentandemployeetypes/methodologies/annualpopulationsurveyapsqmi",
    measures: "The labour market, housing, ethnicity, religion, health, well-being and education between censuses, down to local authorities.",
    topics: ["employment", "labour market", "well-being"],
    coverage: "UK",
    placeLevels: ["uk", "nation", "region", "local_authority"],
    firstYear: 2004,
    frequency: "quarterly",
    breakdowns: ["age", "sex", "ethnicity", "employment"],
    access: "safeguarded",
    methods: "Two waves of the Labour Force Survey with local sample boosts; each quarterly dataset holds 12 months.",
    qualityIssues:
      "Official statistics in development: ONS reports that local authority estimates have deteriorated as responses fell (national and headline regional figures remain robust).",
  },
  {
    name: "Scottish Household Survey",
    publisher: "Scottish Government",
    url: "https://www.gov.scot/collections/scottish-household-survey/",
    measures:
      "The composition, characteristics, attitudes and behaviour of private households and individuals in Scotland, and the physical condition of homes.",
    topics: ["households", "housing", "neighbourhoods"],
    coverage: "Scotland",
    placeLevels: ["nation", "local_authority"],
    firstYear: 1999,
    frequency: "continuous",
    breakdowns: ["tenure", "household_type"],
    access: "open",
    methods:
      "A voluntary face-to-face survey of private residences in all 32 local authorities; since 2012 it includes the Scottish House Condition Survey (with a physical survey) and the Transport and Travel in Scotland survey.",
  },
  {
    name: "Children in low income families: local area statistics",
    publisher: "Department for Work and Pensions and HM Revenue and Customs",
    url: "https://www.gov.uk/government/collections/children-in-low-income-families-local-area-statistics",
    measures:
      "The number and proportion of children living in families in relative and absolute low income, by local area across the United Kingdom, calibrated to Households Below Average Income.",
    topics: ["child poverty", "poverty", "income", "children"],
    coverage: "UK",
    placeLevels: ["uk", "region", "local_authority", "small_area"],
    firstYear: 2014,
    frequency: "annual",
    breakdowns: ["age", "sex", "household_type", "employment", "children"],
    licence: "Open Government Licence v3.0",
    access: "open",
    methods:
      "Universal Credit, Housing Benefit and tax credit records joined with Child Benefit data to find families and their gross income before housing costs, equivalised, and calibrated to HBAI estimates by work status. Also on Stat-Xplore.",
    qualityIssues:
      "Use extra caution for financial years ending 2021 to 2023, comparing with earlier years and comparing local areas across countries (the pandemic's effect on HBAI).",
    contact: "stats.consultation-2018@dwp.gov.uk",
  },
  {
    name: "English Indices of Deprivation 2019",
    publisher: "Ministry of Housing, Communities and Local Government",
    url: "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019",
    measures:
      "Relative deprivation in 32,844 small areas (Lower-layer Super Output Areas) in England, as an Index of Multiple Deprivation and its domains (income deprivation among them).",
    topics: ["deprivation", "neighbourhoods", "income"],
    coverage: "England",
    placeLevels: ["local_authority", "small_area"],
    licence: "Open Government Licence v3.0",
    access: "open",
    methods: "Ranks and deciles of every Lower-layer Super Output Area, from most to least deprived, built from several domains of deprivation.",
    qualityIssues: "Relative ranks, not levels: a rank says an area is more deprived than others, not by how much.",
  },
  {
    name: "Statutory homelessness in England",
    publisher: "Ministry of Housing, Communities and Local Government",
    url: "https://www.gov.uk/government/collections/homelessness-statistics",
    measures: "Statutory homelessness assessments, prevention, relief and main duties under the Housing Act 1996, and households in temporary accommodation.",
    topics: ["homelessness", "temporary accommodation", "housing"],
    coverage: "England",
    placeLevels: ["uk", "region", "local_authority"],
    firstYear: 2018,
    frequency: "quarterly",
    access: "open",
    methods:
      "Local housing authorities' quarterly case-level returns (H-CLIC), introduced in April 2018 with the Homelessness Reduction Act; it replaced the P1E form.",
    qualityIssues:
      "Some sensitive breakdowns are suppressed at local authority level, so local figures may not add up to regional and national totals; some authorities' figures are imputed.",
  },
  {
    name: "Wealth and Assets Survey",
    publisher: "Office for National Statistics",
    url: "https://www.ons.gov.uk/peoplepopulationandcommunity/personalandhouseholdfinances/incomeandwealth",
    measures: "Households' and individuals' assets, savings and debt, and planning for retirement; how wealth is distributed.",
    topics: ["wealth", "debt", "savings", "pensions"],
    coverage: "Great Britain (not north of the Caledonian Canal, the Scottish islands or the Isles of Scilly)",
    placeLevels: ["uk", "region"],
    firstYear: 2006,
    frequency: "every_two_years",
    access: "safeguarded",
    methods: "A longitudinal survey of private households, face to face and by telephone; about 15,100 households in Round 8 (April 2020 to March 2022).",
    qualityIssues:
      "Private households only: people in institutions and homeless people are not included. Round 8 ran during the pandemic and is less certain, above all for regions; its accredited status is suspended while quality is improved.",
  },
  {
    name: "Fuel poverty statistics (England)",
    publisher: "Department for Energy Security and Net Zero",
    url: "https://www.gov.uk/government/collections/fuel-poverty-statistics",
    measures: "The proportion of households in fuel poverty in England and the fuel poverty gap, under the Low Income Low Energy Efficiency measure.",
    topics: ["fuel poverty", "energy", "housing"],
    coverage: "England",
    placeLevels: ["uk", "region"],
    frequency: "annual",
    access: "open",
    methods: "Built from the English Housing Survey.",
    qualityIssues:
      "Published some time after the year it describes, with projections for later years; the Office for Statistics Regulation notes the measure may not match people's own idea of fuel poverty.",
  },
  {
    name: "Destitution in the UK",
    publisher: "Joseph Rowntree Foundation (with Heriot-Watt University)",
    url: "https://www.jrf.org.uk/deep-poverty-and-destitution/destitution-in-the-uk-2023",
    measures:
      "How many people were destitute (unable to afford shelter, food, heating, lighting, clothing or basic toiletries) over a year, who they are and what pushed them there.",
    topics: ["destitution", "deep poverty", "crisis support"],
    coverage: "UK",
    placeLevels: ["uk"],
    frequency: "irregular",
    breakdowns: ["children", "household_type"],
    access: "open",
    methods:
      "A census survey of the people using a representative set of voluntary crisis services (food banks, soup runs, asylum services, hostels) over a week, in several languages, with in-depth interviews and analysis of existing datasets.",
    qualityIssues: "Reaches people through crisis services, so it counts those who sought help; household surveys routinely miss the most destitute.",
  },
  {
    name: "Northern Ireland Poverty and Income Inequality report",
    publisher: "Department for Communities (Northern Ireland)",
    url: "https://www.communities-ni.gov.uk/topics/family-resources-survey",
    measures:
      "The proportion and number of individuals, children, working-age adults and pensioners in Northern Ireland living in relative and absolute poverty, and household income and inequality.",
    topics: ["poverty", "income", "inequality"],
    coverage: "Northern Ireland",
    placeLevels: ["nation"],
    frequency: "annual",
    breakdowns: ["age", "children"],
    access: "open",
    methods: "Based on the Family Resources Survey Northern Ireland; net equivalised household income, before and after housing costs.",
    qualityIssues:
      "Telephone interviewing and smaller samples in 2020 to 2022: for 2020 to 2021 only whole-population figures were published; small groups carry more uncertainty.",
  },
];

async function seedDataSources({ db, now, userIds, adminId }: SeedContext) {
  for (const [i, d] of DATA_SOURCES.entries()) {
    const id = `00000000-0000-4000-800e-${String(i + 1).padStart(12, "0")}`;
    const slug = d.name
      .toLowerCase()
      .replace(/\(.*?\)/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
    const at = daysAgo(now, 30 - i);
    await db
      .insert(schema.dataSources)
      .values({ id, slug, ...d, status: "published", proposedBy: adminId, publishedBy: adminId, publishedAt: at, createdAt: at, updatedAt: at });
    await db.insert(schema.dataSourceChanges).values({
      id: `${id.slice(0, 24)}${String(i + 101).padStart(12, "0")}`,
      sourceId: id,
      changedBy: adminId,
      what: "published",
      snapshot: { ...d },
      changedAt: at,
    });
  }
  // One proposal waiting for a steward (Citizens Advice's data, proposed by a member), and
  // a data steward to publish it.
  await db.insert(schema.dataSources).values({
    id: "00000000-0000-4000-800e-000000000099",
    slug: "citizens-advice-data",
    name: "Citizens Advice data",
    publisher: "Citizens Advice",
    measures: "The problems people bring to local Citizens Advice (benefits, debt, housing, employment) and a monthly cost-of-living dashboard.",
    topics: ["advice", "debt", "cost of living"],
    coverage: "England and Wales",
    access: "open",
    qualityIssues: "Only people who came for advice: not a population estimate.",
    status: "proposed",
    proposedBy: userIds[4],
  });
  await db.insert(schema.userRoles).values({ userId: userIds[3], role: "data_steward", grantedBy: adminId });
}

type GapSeed = {
  question: string;
  kind: (typeof schema.GAP_KINDS)[number];
  places?: string;
  placeLevels?: (typeof schema.PLACE_LEVELS)[number][];
  groups?: (typeof schema.GAP_GROUPS)[number][];
  sources?: string[];
  shortfall?: string;
  /** Index of an Autumn Budget task it was hit on, or "hub" for the hub itself. */
  at?: number | "hub";
  community?: string;
  raisedBy: number;
  endorsedBy: string[];
  steps?: [(typeof schema.GAP_STATUSES)[number], string][];
};

// Realistic gaps, each a question organisations on Convene could not answer with the data.
const GAPS: GapSeed[] = [
  {
    question: "How many disabled people use food banks, in each local authority?",
    kind: "demographic",
    places: "Every local authority",
    placeLevels: ["local_authority"],
    groups: ["disabled_people"],
    sources: ["Trussell food bank statistics", "Family Resources Survey"],
    shortfall:
      "Trussell counts parcels from food banks in its own network, not who receives them by disability in each area; the Family Resources Survey is too small below region.",
    at: 4,
    raisedBy: 3,
    endorsedBy: ["foodshare-alliance", "disability-income-coalition", "east-coast-community-kitchens", "northern-poverty-action"],
    steps: [["taken_to_owner", "Raised at a user engagement meeting with DWP's Family Resources Survey team."]],
  },
  {
    question: "How many people with no recourse to public funds are in poverty, and where?",
    kind: "demographic",
    groups: ["migrants_nrpf", "deep_poverty"],
    sources: ["Family Resources Survey", "Households Below Average Income (HBAI)"],
    shortfall: "Household surveys do not record immigration status, and benefit records stop at the benefit system's door.",
    raisedBy: 2,
    endorsedBy: ["citywide-advice-network", "housing-justice-lab", "voices-of-experience"],
  },
  {
    question: "How many people are in deep poverty below the level of the region?",
    kind: "geographic",
    places: "Every English region, and local authorities",
    placeLevels: ["local_authority"],
    groups: ["deep_poverty"],
    sources: ["Households Below Average Income (HBAI)"],
    shortfall: "Too few survey households are in deep poverty for figures below region.",
    at: "hub",
    raisedBy: 0,
    endorsedBy: ["northern-poverty-action", "centre-for-household-economics", "fairshare-institute"],
    steps: [
      ["taken_to_owner", "Written to DWP's HBAI team with the endorsements so far."],
      ["acknowledged", "DWP replied that small-area modelling is on its development list."],
    ],
  },
  {
    question: "How many households in temporary accommodation include a disabled person?",
    kind: "demographic",
    groups: ["homeless_temporary", "disabled_people"],
    sources: ["Statutory homelessness in England"],
    shortfall: "The statutory returns record support needs at assessment, not whether anyone in a household placed in temporary accommodation is disabled.",
    raisedBy: 9,
    endorsedBy: ["housing-justice-lab", "disability-income-coalition"],
  },
  {
    question: "How many people in rural areas are destitute?",
    kind: "geographic",
    places: "Rural England, Scotland and Wales",
    groups: ["rural", "deep_poverty"],
    sources: ["Destitution in the UK"],
    shortfall: "The study reaches people through crisis services, which are scarce in rural areas, and publishes UK figures only.",
    at: 6,
    raisedBy: 5,
    endorsedBy: ["east-coast-community-kitchens", "the-hartley-trust"],
  },
  {
    question: "What are the extra costs of living that disabled households face, measured regularly?",
    kind: "thematic",
    groups: ["disabled_people"],
    sources: ["Living Costs and Food Survey", "Family Resources Survey"],
    shortfall: "Spending surveys record what households spend, not what they go without; the LCF sample is now small.",
    at: 2,
    raisedBy: 1,
    endorsedBy: ["disability-income-coalition", "voices-of-experience", "fairshare-institute", "citywide-advice-network"],
    steps: [
      ["taken_to_owner", "Shared with ONS's household finance team."],
      ["acknowledged", "ONS agreed to look at a disability flag in its published tables."],
      ["being_addressed", "Questions on extra costs are being tested for a future survey year."],
    ],
  },
  {
    question: "What are unpaid carers' incomes in Northern Ireland?",
    kind: "demographic",
    places: "Northern Ireland",
    placeLevels: ["nation"],
    groups: ["carers"],
    sources: ["Northern Ireland Poverty and Income Inequality report"],
    shortfall: "The report breaks poverty down by age group, not by caring.",
    raisedBy: 7,
    endorsedBy: ["the-hartley-trust"],
  },
  {
    question: "Who is behind on council tax, by local authority and household type?",
    kind: "thematic",
    placeLevels: ["local_authority"],
    groups: ["lone_parents"],
    shortfall: "Councils publish collection rates and totals owed, not who is in arrears; no catalogued source covers it.",
    at: 3,
    raisedBy: 5,
    endorsedBy: ["citywide-advice-network", "riverside-borough-council", "northern-poverty-action"],
  },
  {
    question: "How many panel members lose benefits when they are paid for taking part?",
    kind: "thematic",
    groups: ["disabled_people"],
    shortfall: "Nobody records it: members tell us, case by case.",
    community: "lived-experience-panels",
    raisedBy: 4,
    endorsedBy: ["voices-of-experience"],
  },
];

async function seedDataGapsAndResearch({ db, now, userIds, orgIds }: SeedContext) {
  const steward = userIds[3];
  const sources = await db.select({ id: schema.dataSources.id, name: schema.dataSources.name }).from(schema.dataSources);
  const sourceId = (name: string) => {
    const found = sources.find((s) => s.name === name);
    if (!found) throw new Error(`The seed names a source not in the catalogue: ${name}`);
    return found.id;
  };
  const firstMember = async (orgId: string) => {
    const [m] = await db
      .select({ userId: schema.organisationMemberships.userId })
      .from(schema.organisationMemberships)
      .where(eq(schema.organisationMemberships.organisationId, orgId))
      .limit(1);
    return m?.userId ?? null;
  };
  const hubId = "00000000-0000-4000-8004-000000000001";
  const taskId = (i: number) => `00000000-0000-4000-8005-${String(i + 1).padStart(12, "0")}`;
  for (const [i, g] of GAPS.entries()) {
    const id = `00000000-0000-4000-800f-${String(i + 1).padStart(12, "0")}`;
    const raisedAt = daysAgo(now, 28 - i * 2);
    const [community] = g.community
      ? await db.select({ id: schema.communities.id }).from(schema.communities).where(eq(schema.communities.slug, g.community))
      : [];
    const status = g.steps?.at(-1)?.[0] ?? "raised";
    const orgs = g.endorsedBy.map((slug) => {
      const org = orgIds[slug];
      if (!org) throw new Error(`The seed names an organisation it did not make: ${slug}`);
      return org;
    });
    await db.insert(schema.dataGaps).values({
      id,
      question: g.question,
      kind: g.kind,
      places: g.places ?? "",
      placeLevels: g.placeLevels ?? [],
      groups: g.groups ?? [],
      shortfall: g.shortfall ?? "",
      hubId: g.at === undefined ? null : hubId,
      taskId: typeof g.at === "number" ? taskId(g.at) : null,
      communityId: community?.id ?? null,
      public: !community,
      status,
      raisedBy: userIds[g.raisedBy],
      organisationId: orgs[0],
      endorsements: orgs.length,
      createdAt: raisedAt,
      updatedAt: raisedAt,
    });
    for (const name of g.sources ?? []) await db.insert(schema.dataGapSources).values({ gapId: id, sourceId: sourceId(name) });
    for (const [j, org] of orgs.entries()) {
      await db.insert(schema.dataGapEndorsements).values({
        id: `00000000-0000-4000-8012-${String((i + 1) * 100 + j).padStart(12, "0")}`,
        gapId: id,
        organisationId: org,
        userId: await firstMember(org),
        note: j === 0 ? "We raised this." : "",
        createdAt: new Date(raisedAt.getTime() + j * 86_400_000),
      });
    }
    await db.insert(schema.dataGapSteps).values({ gapId: id, status: "raised", note: "", setBy: userIds[g.raisedBy], at: raisedAt });
    for (const [j, [step, note]] of (g.steps ?? []).entries()) {
      await db.insert(schema.dataGapSteps).values({ gapId: id, status: step, note, setBy: steward, at: daysAgo(now, 12 - j * 4) });
    }
  }

  // Tasks linked to the catalogue: the two-child limit task links the FRS (its free text
  // also names Stat-Xplore, offered on its page as a suggestion to link), the disabled
  // households' costs task links the FRS too.
  const frs = sourceId("Family Resources Survey");
  await db.insert(schema.taskSources).values([
    { taskId: taskId(0), sourceId: frs, linkedBy: userIds[1], linkedAt: daysAgo(now, 10) },
    { taskId: taskId(2), sourceId: frs, linkedBy: userIds[1], linkedAt: daysAgo(now, 9) },
  ]);
  // Notes of context: one approved (naming its organisation), one waiting for a steward.
  await db.insert(schema.sourceNotes).values([
    {
      id: "00000000-0000-4000-8010-000000000001",
      sourceId: frs,
      authorId: userIds[4],
      organisationId: orgIds["voices-of-experience"],
      body: "It samples private households only: people in hostels, refuges and most temporary accommodation are not in it, and many of our members have lived there.",
      status: "approved",
      decidedBy: steward,
      decidedAt: daysAgo(now, 6),
      createdAt: daysAgo(now, 8),
    },
    {
      id: "00000000-0000-4000-8010-000000000002",
      sourceId: sourceId("Trussell food bank statistics"),
      authorId: userIds[5],
      body: "Parcels are counted, not people: someone referred three times counts three times.",
      createdAt: daysAgo(now, 2),
    },
  ]);
  // Researchers: skills offered, with the pledge; the two-child limit task asks for
  // micro-simulation, and one researcher has offered to help.
  await db.insert(schema.researcherProfiles).values([
    {
      userId: userIds[6],
      skills: ["microsimulation", "econometrics"],
      available: true,
      terms: ["pro_bono"],
      note: "I use UKMOD.",
      pledgedAt: daysAgo(now, 20),
    },
    { userId: userIds[8], skills: ["qualitative", "lived_experience_research"], available: true, terms: ["paid", "pro_bono"], pledgedAt: daysAgo(now, 15) },
    { userId: userIds[12], skills: ["mapping_gis", "data_visualisation"], available: false, terms: ["student_project"], pledgedAt: daysAgo(now, 5) },
  ]);
  await db.insert(schema.taskSkillAsks).values([{ taskId: taskId(0), skill: "microsimulation" }]);
  await db.insert(schema.helpOffers).values({
    id: "00000000-0000-4000-8011-000000000001",
    taskId: taskId(0),
    userId: userIds[6],
    message: "I can run the two-child limit options through UKMOD this week.",
    createdAt: daysAgo(now, 1),
  });
}

// Paying people for taking part (part 1): the panel-pay event offers £50 and travel to
// everyone who takes part, and one demo person approves payments.
async function seedPayments({ db, userIds, adminId }: SeedContext) {
  const [event] = await db.select({ id: schema.events.id }).from(schema.events).where(eq(schema.events.slug, "paying-panel-members-fairly"));
  if (event) await db.insert(schema.paymentOffers).values({ eventId: event.id, honorariumPence: 5000, expenses: ["travel"], setBy: adminId });
  await db.insert(schema.userRoles).values({ userId: userIds[7], role: "payments", grantedBy: adminId });
}

// Paying people for taking part (part 2): a lived-experience workshop three weeks ago whose
// claims stand in every state (Aisha's waits for approval, with a receipt and bank details),
// and two earlier events whose paid claims fill the transparency page — one quarter with a
// group small enough to be hidden. Bank details and receipts are sealed under the current key;
// without one (production with no PAYMENT_KEYS) the claims are seeded as vouchers, no receipts.
async function seedPaymentClaims({ db, now, userIds, adminId }: SeedContext) {
  const canSeal = sealingAvailable();
  const mkEvent = async (n: number, slug: string, title: string, kind: "workshop" | "webinar" | "meeting", endedDaysAgo: number, people: number[]) => {
    const id = `00000000-0000-4000-8012-${String(n).padStart(12, "0")}`;
    const endsAt = daysAgo(now, endedDaysAgo);
    await db.insert(schema.events).values({
      id,
      slug,
      kind,
      title,
      summary: "Paid participation: honoraria and expenses for everyone who takes part.",
      description: "For members of lived experience panels. We pay for your time and your costs: choose privately how you are paid.",
      startsAt: new Date(endsAt.getTime() - 2 * 3_600_000),
      endsAt,
      timeZone: "Europe/London",
      capacity: 20,
      joinUrl: kind === "meeting" ? null : `https://meet.convene.example/${slug}`,
      venue: kind === "meeting" ? "Community Hall, 12 Mill Street, Bradford BD1 4AA" : null,
      accessProvisions: ["step_free", "live_captions"],
      state: "published",
      createdBy: adminId,
      createdAt: daysAgo(now, endedDaysAgo + 30),
    });
    await db.insert(schema.eventOrganisers).values({ eventId: id, userId: adminId });
    await db.insert(schema.paymentOffers).values({ eventId: id, honorariumPence: 4000, expenses: ["travel", "care"], budgetPence: 60000, setBy: adminId });
    for (const [i, u] of people.entries())
      await db.insert(schema.eventRegistrations).values({
        id: `00000000-0000-4000-8013-${String(n * 100 + i).padStart(12, "0")}`,
        eventId: id,
        userId: userIds[u],
        status: "confirmed",
        attended: true,
        createdAt: daysAgo(now, endedDaysAgo + 10),
      });
    return { id, title, kind, endsAt };
  };
  const names = new Map((await db.select({ id: schema.users.id, name: schema.users.name }).from(schema.users)).map((u) => [u.id, u.name]));
  let claimNo = 0;
  const claim = async (
    event: { id: string; title: string; kind: "workshop" | "webinar" | "meeting"; endsAt: Date },
    u: number,
    status: PaymentClaim["status"],
    opts: {
      travel?: number;
      paidDaysAfter?: number;
      approvals?: number[];
      steps?: [string, number | null, string | null][];
      receipt?: boolean;
      route?: "me" | "voucher";
    } = {},
  ) => {
    claimNo++;
    const id = `00000000-0000-4000-8014-${String(claimNo).padStart(12, "0")}`;
    const route = canSeal ? (opts.route ?? "me") : "voucher";
    const travel = opts.travel ?? 0;
    const account = `${String(31_000_000 + claimNo * 7919).slice(0, 8)}`;
    const paidAt = opts.paidDaysAfter === undefined ? null : new Date(event.endsAt.getTime() + opts.paidDaysAfter * 86_400_000);
    const bankKept = route === "me" && (!paidAt || now.getTime() - paidAt.getTime() < 30 * 86_400_000) && status !== "withdrawn";
    await db.insert(schema.paymentChoices).values({ eventId: event.id, userId: userIds[u], route }).onConflictDoNothing();
    await db.insert(schema.paymentClaims).values({
      id,
      eventId: event.id,
      userId: userIds[u],
      eventTitle: event.title,
      eventKind: event.kind,
      attendedOn: event.endsAt,
      payeeName: names.get(userIds[u]) ?? "A panel member",
      route,
      honorariumPence: 4000,
      expensesPence: travel,
      status,
      bankSealed: bankKept
        ? seal(JSON.stringify({ name: names.get(userIds[u]), sortCode: "401276", account }), { table: "payment_claims", column: "bank_sealed", rowId: id })
        : null,
      bankLast2: route === "me" ? account.slice(-2) : null,
      bankDeletedAt: route === "me" && !bankKept ? (paidAt ? new Date(paidAt.getTime() + 30 * 86_400_000) : now) : null,
      submittedAt: new Date(event.endsAt.getTime() + 86_400_000),
      waitingSince: new Date(event.endsAt.getTime() + 86_400_000),
      decidedAt: ["approved", "rejected", "paid", "withdrawn"].includes(status) ? new Date(event.endsAt.getTime() + 4 * 86_400_000) : null,
      paidAt,
      paidMethod: paidAt ? (route === "me" ? "bank_transfer" : "voucher") : null,
      paidReference: paidAt ? `CNV-${String(claimNo).padStart(4, "0")}` : null,
    });
    if (travel)
      await db
        .insert(schema.paymentClaimExpenses)
        .values({ claimId: id, kind: "travel", description: "Bus and train to the venue and back", amountPence: travel });
    for (const a of opts.approvals ?? []) await db.insert(schema.paymentApprovals).values({ claimId: id, approverId: a === -1 ? adminId : userIds[a] });
    const steps: [string, number | null, string | null][] = [["submitted", u, null], ...(opts.steps ?? [])];
    for (const [k, [step, by, message]] of steps.entries())
      await db.insert(schema.paymentClaimSteps).values({
        id: `00000000-0000-4000-8015-${String(claimNo * 100 + k).padStart(12, "0")}`,
        claimId: id,
        step: step as PaymentClaimStep,
        byId: by === null ? null : by === -1 ? adminId : userIds[by],
        message,
        at: new Date(event.endsAt.getTime() + (1 + k) * 86_400_000),
      });
    if (opts.receipt && canSeal) {
      const receiptId = id.replace("8014", "8016");
      await db.insert(schema.paymentReceipts).values({
        id: receiptId,
        claimId: id,
        kind: "travel",
        filename: "bus-ticket.png",
        contentType: "image/png",
        bytes: DEMO_RECEIPT.length,
        sealed: seal(DEMO_RECEIPT, { table: "payment_receipts", column: "sealed", rowId: receiptId }),
      });
    }
    if (bankKept)
      await db.insert(schema.paymentAudit).values({
        claimId: id,
        actorId: userIds[u],
        action: "bank_details_entered",
        detail: `account ending ${account.slice(-2)}`,
        at: new Date(event.endsAt.getTime() + 86_400_000),
      });
  };
  // Three weeks ago: a claim in every state.
  const panel = await mkEvent(
    1,
    "panel-workshop-fair-payment",
    "Lived experience panel: what fair payment looks like",
    "workshop",
    21,
    [0, 2, 5, 9, 11, 13, 16, 18],
  );
  await claim(panel, 0, "submitted", { travel: 1280, receipt: true });
  await claim(panel, 2, "queried", { travel: 4500, steps: [["queried", 7, "Was the train ticket a return? The receipt shows one way."]] });
  await claim(panel, 5, "submitted", { travel: 6400, approvals: [7], steps: [["approval", 7, null]] });
  await claim(panel, 9, "approved", { travel: 620, approvals: [7], steps: [["approved", 7, null]] });
  await claim(panel, 11, "rejected", { steps: [["rejected", 7, "This claim was made twice: the other one is approved."]] });
  await claim(panel, 13, "paid", {
    travel: 900,
    paidDaysAfter: 9,
    approvals: [7],
    steps: [
      ["approved", 7, null],
      ["paid", 7, "Reference: CNV-0006"],
    ],
  });
  await claim(panel, 16, "withdrawn", { steps: [["withdrawn", 16, null]] });
  // Earlier: paid claims for the transparency page (a quarter with a hidden group).
  const spring = await mkEvent(2, "panel-meeting-benefit-rules", "Panel meeting: benefit rules and payment", "meeting", 200, [1, 3, 4, 6, 8, 10, 12]);
  for (const [i, u] of [1, 3, 4, 6, 8, 10, 12].entries())
    await claim(spring, u, "paid", { travel: 300 * i, paidDaysAfter: 10 + i, route: i % 3 ? "me" : "voucher" });
  const webinar = await mkEvent(3, "panel-webinar-evidence-review", "Panel webinar: reviewing the evidence", "webinar", 190, [14, 15]);
  for (const u of [14, 15]) await claim(webinar, u, "paid", { paidDaysAfter: 25 });
  const winter = await mkEvent(
    4,
    "panel-workshop-cost-of-living",
    "Panel workshop: the cost of living, in our words",
    "workshop",
    300,
    [17, 19, 20, 21, 23, 24],
  );
  for (const [i, u] of [17, 19, 20, 21, 23, 24].entries()) await claim(winter, u, "paid", { travel: 450, paidDaysAfter: 14 + i * 2 });
}

type PaymentClaimStep = (typeof schema.CLAIM_STEPS)[number];

/** A 1×1 PNG: the demo's photo of a bus ticket. */
const DEMO_RECEIPT = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

// Each later area appends its seeder.
const SEEDERS: Seeder[] = [
  seedCommunities,
  seedPrinciples,
  seedHubs,
  seedEvents,
  seedThreads,
  seedFollows,
  seedFeedback,
  seedDataSources,
  seedDataGapsAndResearch,
  seedPayments,
  seedPaymentClaims,
];

const daysAgo = (now: Date, d: number) => new Date(now.getTime() - d * 86_400_000);

/** Bank holidays in England and Wales (gov.uk/bank-holidays), 2026 to 2029. */
const BANK_HOLIDAYS = new Set([
  "2026-01-01",
  "2026-04-03",
  "2026-04-06",
  "2026-05-04",
  "2026-05-25",
  "2026-08-31",
  "2026-12-25",
  "2026-12-28",
  "2027-01-01",
  "2027-03-26",
  "2027-03-29",
  "2027-05-03",
  "2027-05-31",
  "2027-08-30",
  "2027-12-27",
  "2027-12-28",
  "2028-01-03",
  "2028-04-14",
  "2028-04-17",
  "2028-05-01",
  "2028-05-29",
  "2028-08-28",
  "2028-12-25",
  "2028-12-26",
  "2029-01-01",
  "2029-03-30",
  "2029-04-02",
  "2029-05-07",
  "2029-05-28",
  "2029-08-27",
  "2029-12-25",
  "2029-12-26",
]);

/**
 * The first working day on or after this one: demo events, moments and due dates never fall
 * on a weekend, a bank holiday, or between Christmas Eve and New Year's Day.
 */
function workingDay(d: DateTime, step: 1 | -1 = 1): DateTime {
  let day = d;
  const closed = (x: DateTime) => x.weekday > 5 || BANK_HOLIDAYS.has(x.toISODate() ?? "") || (x.month === 12 && x.day >= 24) || (x.month === 1 && x.day === 1);
  while (closed(day)) day = day.plus({ days: step });
  return day;
}

async function seedFoundation(db: Database, now: Date): Promise<SeedContext> {
  const [adminHash, demoHash] = await Promise.all([hashPassword(DEMO_ADMIN.password), hashPassword(DEMO_PASSWORD)]);
  const adminId = "00000000-0000-4000-8000-000000000001";
  await db.insert(schema.users).values({
    id: adminId,
    email: DEMO_ADMIN.email,
    name: DEMO_ADMIN.name,
    passwordHash: adminHash,
    emailVerifiedAt: daysAgo(now, 120),
    createdAt: daysAgo(now, 120),
  });
  await db.insert(schema.userRoles).values([
    { userId: adminId, role: "admin" },
    { userId: adminId, role: "organiser" },
  ]);

  const orgIds: Record<string, string> = {};
  for (const [i, o] of DEMO_ORGS.entries()) {
    const id = `00000000-0000-4000-8001-${String(i + 1).padStart(12, "0")}`;
    orgIds[o.slug] = id;
    await db.insert(schema.organisations).values({ id, ...o, createdAt: daysAgo(now, 110 - i) });
  }

  const userIds: string[] = [];
  for (let i = 0; i < 29; i++) {
    const id = `00000000-0000-4000-8002-${String(i + 1).padStart(12, "0")}`;
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i * 7) % LAST.length];
    userIds.push(id);
    await db.insert(schema.users).values({
      id,
      email: `${`${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, "")}@example.org`,
      name: `${first} ${last}`,
      passwordHash: demoHash,
      // A few people have not confirmed their address yet.
      emailVerifiedAt: i % 9 === 8 ? null : daysAgo(now, 100 - i * 2),
      createdAt: daysAgo(now, 100 - i * 2),
    });
    // Most people belong to one organisation, some to two, a few to none; the first
    // member of each organisation is its admin.
    if (i < 26) {
      const org = DEMO_ORGS[i % DEMO_ORGS.length];
      await db.insert(schema.organisationMemberships).values({
        organisationId: orgIds[org.slug],
        userId: id,
        role: i < DEMO_ORGS.length ? "admin" : "member",
        status: "active",
        requestedAt: daysAgo(now, 90 - i),
        approvedAt: daysAgo(now, 89 - i),
      });
    }
    if (i % 5 === 0 && i > 0) {
      const other = DEMO_ORGS[(i + 3) % DEMO_ORGS.length];
      await db
        .insert(schema.organisationMemberships)
        .values({ organisationId: orgIds[other.slug], userId: id, role: "member", status: i % 10 === 0 ? "pending" : "active", requestedAt: daysAgo(now, 10) })
        .onConflictDoNothing();
    }
  }
  // Organisers: people who run webinars for their organisations.
  await db.insert(schema.userRoles).values([0, 1, 4, 9].map((i) => ({ userId: userIds[i], role: "organiser" as const, grantedBy: adminId })));
  return { db, now, userIds, adminId, orgIds };
}

/** Seeds when asked (embedded database, or SEED_DEMO=1) and not done before. Returns true if it seeded. */
export async function seedIfNeeded(handle: DbHandle, opts: { force: boolean; log?: (msg: string) => void }): Promise<boolean> {
  if (handle.kind !== "pglite" && !opts.force) return false;
  const db = handle.db;
  const [done] = await db.select().from(schema.appMeta).where(eq(schema.appMeta.key, "demo_seeded"));
  if (done) return false;
  const [anyone] = await db.select({ id: schema.users.id }).from(schema.users).limit(1);
  if (anyone && !opts.force) return false; // a database with real people is never seeded implicitly
  const [admin] = await db.select().from(schema.users).where(eq(schema.users.email, DEMO_ADMIN.email));
  if (admin) return false;
  const now = new Date();
  await db.transaction(async (tx) => {
    const ctx = await seedFoundation(tx as unknown as Database, now);
    for (const seeder of SEEDERS) await seeder(ctx);
    await tx.insert(schema.appMeta).values({ key: "demo_seeded", value: now.toISOString() });
  });
  opts.log?.(
    `Seeded demo data: ${DEMO_ORGS.length} organisations, 30 people, ${COMMUNITIES.length} communities, ${HUBS.length} moment hubs, ${EVENTS.length} events, ${THREADS.length} discussion threads.\n` +
      `  Admin login: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}\n` +
      `  Every other demo person (e.g. aisha.rahman@example.org) uses: ${DEMO_PASSWORD}`,
  );
  return true;
}
