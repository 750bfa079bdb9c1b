import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { parseSubmission } from "~/utils/form-submission";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, InputField, SelectField } from "~/components/form-fields";
import { userCreateFormSchema, userUpdateFormSchema } from "~/domain/forms";
import { ROLE_TERMS, ROLES } from "~/domain/vocabulary";
import { actorOf } from "~/models/auth.server";
import { requireUser } from "~/utils/permissions.server";
import {
  createUser,
  DuplicateEmailError,
  generatePassword,
  getUser,
  listUsers,
  setPassword,
  setUserDisabled,
  setUserRole,
} from "~/models/users.server";

export const meta: MetaFunction = () => [{ title: "Users · Oversight Letter Tracker" }];

const ROLE_OPTIONS = ROLES.map((role) => [role, `${ROLE_TERMS.terms[role].label}: ${ROLE_TERMS.terms[role].description}`] as const);

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireUser(request, "users:manage");
  return { users: listUsers(), currentUserId: admin.id };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireUser(request, "users:manage");
  const formData = await request.formData();
  const actor = actorOf(admin);
  if (formData.get("intent") === "create") {
    const submission = parseSubmission(formData, { schema: userCreateFormSchema });
    if (submission.status !== "success") return data({ create: submission.reply(), notice: null }, { status: 400 });
    const password = generatePassword();
    try {
      const user = await createUser({ ...submission.value, password, mustChangePassword: true, actor });
      return { create: submission.reply({ resetForm: true }), notice: { email: user.email, password } };
    } catch (error) {
      if (!(error instanceof DuplicateEmailError)) throw error;
      return data({ create: submission.reply({ fieldErrors: { email: ["A user with this email already exists"] } }), notice: null }, { status: 400 });
    }
  }
  const submission = parseSubmission(formData, { schema: userUpdateFormSchema });
  if (submission.status !== "success") throw data("That change is not understood.", { status: 400 });
  const change = submission.value;
  if (!getUser({ id: change.userId })) throw data("There is no such user.", { status: 404 });
  if (change.userId === admin.id && change.intent !== "reset-password") {
    throw data("You cannot change your own role or disable yourself; ask another admin.", { status: 400 });
  }
  switch (change.intent) {
    case "set-role":
      setUserRole({ id: change.userId, role: change.role, actor });
      return { create: null, notice: null };
    case "disable":
    case "enable":
      setUserDisabled({ id: change.userId, disabled: change.intent === "disable", actor });
      return { create: null, notice: null };
    case "reset-password": {
      const password = generatePassword();
      const user = await setPassword({ id: change.userId, password, oneTime: true, actor });
      return { create: null, notice: { email: user.email, password } };
    }
  }
}

export default function UsersPage() {
  const { users, currentUserId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "create-user",
    lastResult: actionData?.create,
    defaultValue: { role: "editor" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: userCreateFormSchema }),
    shouldRevalidate: "onBlur",
  });
  return (
    <>
      <h1>Users</h1>
      {actionData?.notice ? (
        <p className="notice" role="status" data-testid="one-time-password">
          One-time password for <strong>{actionData.notice.email}</strong>:{" "}
          <code>{actionData.notice.password}</code>. It is shown only now; the user chooses a new one at
          first sign-in.
        </p>
      ) : null}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Users">
        <table>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id} data-testid="user-row">
                <td>
                  {user.name}
                  <div className="muted small">{user.email}</div>
                </td>
                <td>
                  {user.id === currentUserId ? (
                    user.role
                  ) : (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="userId" value={user.id} />
                      <label className="visually-hidden" htmlFor={`role-${user.id}`}>
                        Role of {user.email}
                      </label>
                      <select id={`role-${user.id}`} name="role" defaultValue={user.role}>
                        {ROLE_OPTIONS.map(([value]) => (
                          <option key={value} value={value}>
                            {value}
                          </option>
                        ))}
                      </select>
                      <button type="submit" name="intent" value="set-role" className="secondary">
                        Set role
                      </button>
                    </Form>
                  )}
                </td>
                <td>{user.disabledAt ? "Disabled" : user.mustChangePassword ? "Must choose a password" : "Active"}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="userId" value={user.id} />
                    {user.id !== currentUserId ? (
                      <button type="submit" name="intent" value={user.disabledAt ? "enable" : "disable"} className="secondary">
                        {user.disabledAt ? "Enable" : "Disable"}
                      </button>
                    ) : null}
                    <button type="submit" name="intent" value="reset-password" className="secondary">
                      Reset password
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Add a user</h2>
      <Form method="post" {...getFormProps(form)} className="form-grid">
        <ErrorList id={form.errorId} errors={form.errors} />
        <InputField label="Email" meta={fields.email} type="email" />
        <InputField label="Name" meta={fields.name} />
        <SelectField label="Role" meta={fields.role} options={ROLE_OPTIONS} />
        <div className="form-actions">
          <button type="submit" name="intent" value="create">
            Add user
          </button>
        </div>
      </Form>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
